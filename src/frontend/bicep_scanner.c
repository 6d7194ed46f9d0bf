/*
 * tree-sitter-bicep 1.1's external scanner, with one guard.
 *
 * The grammar has two external tokens: `*` as an object type's property key, and the content of
 * a ''' string. Where the parser explores more than one parse or recovers from an error, it calls
 * the scanner with both valid, and the content scan then reads to the next ''' or the end of the
 * file each time: parsing is quadratic in the file's size. A 177 KB module of Azure/ALZ-Bicep
 * took more than a second, and which files stopped at the parse's time bound depended on the
 * machine's load. Both tokens are never valid at once where a real token can start, so the guard
 * declines there and the parser goes on as if the scanner found nothing, as tree-sitter's own
 * scanners do when every external token is valid.
 *
 * The language is the grammar's, copied once with the guarded scanner in place. The grammar is
 * generated for ABI 14, whose struct is the runtime's up to `name`; the fields after it stay
 * zero, and the runtime reads them only for ABI 15 and later.
 */
#include <stddef.h>
#include <string.h>

#include "parser.h"

enum { EXTERNAL_ASTERISK, MULTILINE_STRING_CONTENT };

static bool (*grammar_scan)(void *, TSLexer *, const bool *);
static TSLanguage guarded;

static bool guarded_scan(void *payload, TSLexer *lexer, const bool *valid) {
    if (valid[EXTERNAL_ASTERISK] && valid[MULTILINE_STRING_CONTENT]) {
        return false;
    }
    return grammar_scan(payload, lexer, valid);
}

/* Called once, before any parse, with the grammar's language. Returns 0 when the language is
   not one this guard knows (another ABI, other external tokens): it is then used as it is. */
int batchguard_bicep_guard(const TSLanguage *grammar) {
    if (grammar->abi_version != 14 || grammar->external_token_count != 2
        || grammar->external_scanner.scan == NULL) {
        return 0;
    }
    memcpy(&guarded, grammar, offsetof(TSLanguage, name));
    grammar_scan = grammar->external_scanner.scan;
    guarded.external_scanner.scan = guarded_scan;
    return 1;
}

const void *batchguard_bicep_language(void) { return &guarded; }
