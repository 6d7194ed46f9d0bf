//! The common intermediate representation. Every front-end lowers its syntax into this shape:
//! ARM JSON as written, azurerm resources through the mapping table onto the ARM property shape,
//! azapi bodies as the ARM object they carry. Rules are written once, against ARM paths.
//!
//! Every node keeps the span of the source text it came from. A value the analyzer cannot know is
//! an explicit [`Value::Unknown`], never a guess.

pub mod armid;

use crate::source::FileId;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span { file, start, end }
    }
    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
    /// Does this span hold `inner` (same file, `inner` within its bounds)?
    pub fn holds(self, inner: Span) -> bool {
        self.file == inner.file && self.start <= inner.start && inner.end <= self.end
    }
}

/// Why a value is unknown, and, where it is a reference, what it refers to (graph edges are built
/// from these).
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Short human reason, e.g. "variable `var.x` has no value" or "ARM expression".
    pub reason: String,
    pub reference: Option<Reference>,
}

impl Unknown {
    /// The ARM expression the value stands for, if it stands for one.
    pub fn arm_expression(&self) -> Option<&str> {
        match &self.reference {
            Some(Reference::ArmExpression(text)) => Some(text),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    /// A Terraform traversal to another resource's attribute: `azurerm_subnet.s.id` is
    /// `{ address: "azurerm_subnet.s", attribute: ["id"] }`.
    Terraform {
        address: String,
        attribute: Vec<String>,
    },
    /// An ARM template expression, verbatim, including the brackets.
    ArmExpression(String),
    /// An id built by Terraform string interpolation or `format()` from another resource's `id`
    /// and `/`-separated segments after it (D38): `"${azurerm_virtual_network.v.id}/subnets/s"`
    /// is `{ address: "azurerm_virtual_network.v", segments: [Some("subnets"), Some("s")] }`. A
    /// segment whose value is not known is `None`.
    BuiltId {
        address: String,
        segments: Vec<Option<String>>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
    Unknown(Box<Unknown>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// The key of a member that stands for a spread item of a Bicep object (`{ ...base, name: 'x' }`):
/// evaluation merges the object its value evaluates to in its place, as Bicep's `shallowMerge`
/// does (later members win), and makes the whole object Unknown when that value is not known.
/// A spread item of an array (`[ ...base, x ]`) is an object with this one member: evaluation
/// puts the items of the array its value evaluates to in its place, and makes the whole array
/// Unknown when that value is not known. ARM templates have no spread, and no ARM property is
/// named so.
pub const SPREAD_KEY: &str = "...";

/// An object member. Keys are compared case-insensitively (ARM property names are).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: std::borrow::Cow<'static, str>,
    pub key_span: Span,
    pub value: Node,
    /// The name as the user wrote it, where the front-end lowered another name onto `key`
    /// (`public_network_access_enabled` for `publicNetworkAccess`); `None` when it is `key`.
    pub written: Option<&'static str>,
}

impl Member {
    /// The member's name as the user wrote it (`public_network_access_enabled` for an azurerm
    /// attribute lowered onto `publicNetworkAccess`): what messages quote.
    pub fn name(&self) -> &str {
        self.written.unwrap_or(&self.key)
    }

    /// From the key to the end of the value: the location of a property or an HCL attribute.
    /// For an HCL block lowered to an object, `key_span` is the block's opening line and the value
    /// spans the block.
    pub fn span(&self) -> Span {
        self.key_span.to(self.value.span)
    }

    /// Where a finding on this member points: the property (key to end of value), or, for an
    /// HCL block lowered to an object (its value starts where its key does), the block's opening
    /// line.
    pub fn location(&self) -> Span {
        if self.value.span.start == self.key_span.start && self.key_span.end < self.value.span.end {
            self.key_span
        } else {
            self.span()
        }
    }
}

impl Node {
    pub fn new(value: Value, span: Span) -> Node {
        Node { value, span }
    }

    /// Gives back the unused room of every list and object below: front-ends build them by
    /// pushing, and a scope keeps its resources to the end.
    pub fn shrink_to_fit(&mut self) {
        match &mut self.value {
            Value::Array(items) => {
                items.shrink_to_fit();
                items.iter_mut().for_each(Node::shrink_to_fit);
            }
            Value::Object(members) => {
                members.shrink_to_fit();
                members.iter_mut().for_each(|m| m.value.shrink_to_fit());
            }
            _ => {}
        }
    }
    pub fn unknown(reason: impl Into<String>, span: Span) -> Node {
        Node {
            value: Value::Unknown(
                Unknown {
                    reason: reason.into(),
                    reference: None,
                }
                .into(),
            ),
            span,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.value, Value::Unknown(_))
    }
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(m) => m,
            _ => &[],
        }
    }
    pub fn items(&self) -> &[Node] {
        match &self.value {
            Value::Array(a) => a,
            _ => &[],
        }
    }

    /// The member with this key (case-insensitive); `null` members are reported as present.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.members()
            .iter()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }
    /// The value of member `key`, treating `null` as absent.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value).filter(|n| !n.is_null())
    }
    /// Follows a path of member keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        let mut n = self;
        for k in keys {
            n = n.get(k)?;
        }
        Some(n)
    }
    /// The member at the end of a path of keys.
    pub fn path_member(&self, keys: &[&str]) -> Option<&Member> {
        let (last, init) = keys.split_last()?;
        let parent = if init.is_empty() {
            self
        } else {
            self.path(init)?
        };
        parent.member(last).filter(|m| !m.value.is_null())
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
    /// An integer written as a number or as a string of digits.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.value {
            Value::Number(n) if n.fract() == 0.0 && n.is_finite() => Some(*n as i64),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

pub mod spelling;
pub mod types;

/// One resource, in ARM shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Full ARM resource type, e.g. `Microsoft.Batch/batchAccounts/pools` (compare
    /// case-insensitively; see [`Resource::is_type`]).
    pub rtype: String,
    /// ARM `apiVersion`, or the azapi `type` suffix. `None` for azurerm and when unknown.
    pub api_version: Option<String>,
    /// Where the API version is written (ARM `apiVersion` member, azapi `type` attribute).
    pub api_version_span: Option<Span>,
    /// The Terraform address (`azurerm_batch_pool.p`, `module.m.azapi_resource.r["k"]`).
    pub tf_address: Option<String>,
    /// Resolved name segments from the top-level parent down to this resource, e.g.
    /// `["acct", "pool"]`; `None` for a segment that is not known.
    pub name_segments: Vec<Option<String>>,
    /// Span of the name as written (ARM `name` member, HCL `name` attribute or block label).
    pub name_span: Span,
    /// Reference to the parent where it is not given by the name: azapi `parent_id`, azurerm
    /// `account_name` / `network_security_group_name` and the like (graph edges).
    pub parent_ref: Option<Node>,
    /// Where the reference to the parent is written, name through value (azapi `parent_id`,
    /// azurerm `network_security_group_name`): where a finding about that link points.
    pub parent_ref_at: Option<Span>,
    /// The resource group the text deploys the resource to, when it names one (azurerm
    /// `resource_group_name`); ARM templates deploy to the deployment's group.
    pub resource_group: Option<Node>,
    /// Location used when a property is absent: the HCL `resource "t" "n" {` line, the ARM
    /// `"type"` member.
    pub header: Span,
    /// The whole resource (block or object).
    pub span: Span,
    /// The ARM-shaped resource object: `properties`, `location`, `identity`, `sku`, …
    pub body: Node,
    /// Where evaluated values of this resource came from (filled by evaluation).
    pub provenance: Vec<Provenance>,
    /// Source ranges whose values are secret (azapi `sensitive_body`): findings there point at
    /// the attribute's name and never quote its values.
    pub sensitive: Vec<Secret>,
    /// How the resource's syntax writes ARM properties (names, values, defaults, limits).
    pub spelling: spelling::SpellingRef,
    /// Values the resource's syntax itself rejects although the ARM shape could hold them (a
    /// provider's own validation, stricter than Azure's): the rule that checks the property
    /// reports them in place of Azure's check.
    pub rejected: Vec<Rejected>,
    /// `None` when the resource certainly exists; otherwise why its existence is unknown (an
    /// unresolved `count`, `for_each` or ARM `condition`): it is analysed as if it exists and
    /// its findings say so (D21).
    pub conditional: Option<String>,
    /// The `apiProfile` of the ARM template that deploys the resource (a nested template without
    /// one takes its parent's), e.g. `2019-03-01-hybrid`; `None` for other syntaxes.
    pub api_profile: Option<String>,
}

/// The member of a Bicep module's deployment that holds the module's symbolic name. A module
/// whose deployment name is computed (`'${uniqueString(deployment().name)}-deps'`, as every Azure
/// Verified Modules test writes it) has its outputs read as `reference('$SYMBOL')`: `$` is never
/// in a deployment's name, and evaluation finds the deployment by this member.
pub const MODULE_SYMBOL: &str = "$symbol";

impl Resource {
    pub fn is_type(&self, rtype: &str) -> bool {
        self.rtype.eq_ignore_ascii_case(rtype)
    }
    /// Is this a Terraform module call that evaluation did not follow (a registry or remote
    /// module), standing in the scope as a nested deployment whose template is not read? Its
    /// address ends with the call (`module.NAME`), where a resource's ends with its type and
    /// name.
    pub fn is_module_call(&self) -> bool {
        self.is_type(types::DEPLOYMENT)
            && self
                .tf_address
                .as_deref()
                .and_then(|a| a.rsplit_once("module."))
                .is_some_and(|(before, name)| {
                    (before.is_empty() || before.ends_with('.')) && !name.contains('.')
                })
    }
    /// Is this a nested deployment (a Terraform module call, a Bicep or ARM module) whose
    /// template batchguard did not read: a registry or remote module, a link it cannot follow?
    pub fn is_unread_deployment(&self) -> bool {
        self.is_type(types::DEPLOYMENT)
            && self
                .properties()
                .and_then(|p| p.get("template"))
                .is_none_or(|t| t.members().is_empty())
    }
    pub fn properties(&self) -> Option<&Node> {
        self.body.get("properties")
    }
    /// How the resource's syntax writes its properties, for messages and fixes.
    pub fn spelling(&self) -> &'static dyn spelling::Spelling {
        self.spelling.0
    }
    /// The API version the resource is created with: as written (with where), or implied by
    /// its syntax (with who implies it).
    pub fn api(&self) -> Option<Api<'_>> {
        if let Some(v) = &self.api_version {
            return Some(Api {
                version: v,
                span: self.api_version_span,
                implied_by: None,
            });
        }
        let (version, by) = self.spelling().implied_api_version()?;
        Some(Api {
            version,
            span: None,
            implied_by: Some(by),
        })
    }
    /// Is the resource deployed to Azure Stack Hub, because its template's `apiProfile` ends in
    /// `-hybrid` (D33)?
    pub fn targets_azure_stack_hub(&self) -> bool {
        self.api_profile
            .as_deref()
            .is_some_and(|p| p.trim().to_ascii_lowercase().ends_with("-hybrid"))
    }
    /// The last name segment, when known.
    pub fn name(&self) -> Option<&str> {
        self.name_segments.last().and_then(|s| s.as_deref())
    }
    /// The ARM expression the resource's `name` is, verbatim, when its value is not known
    /// (`[parameters('nsgName')]`).
    pub fn name_expression(&self) -> Option<&str> {
        match &self.body.get("name")?.value {
            Value::Unknown(u) => u.arm_expression(),
            _ => None,
        }
    }
    /// How messages name a nested deployment: a Terraform module call by its address
    /// (`module.vnet`), a Bicep module by its symbol (`module vnet`), else as any resource.
    pub fn deployment_display(&self) -> String {
        if let Some(a) = &self.tf_address {
            return a.clone();
        }
        match self.body.get(MODULE_SYMBOL).map(|n| &n.value) {
            Some(Value::String(symbol)) => format!("module {symbol}"),
            _ => self.display(),
        }
    }
    /// `type 'name'` for messages, e.g. `azurerm_batch_pool.p` or
    /// `Microsoft.Batch/batchAccounts/pools 'acct/pool'`.
    pub fn display(&self) -> String {
        if let Some(a) = &self.tf_address {
            return a.clone();
        }
        format!("{} {}", self.rtype, self.quoted_name())
    }

    /// The name for messages: its segments quoted and joined with `/`, `?` for one not known
    /// (`'acct/pool'`, `'acct/?'`); a name none of whose segments is known, written as one
    /// short expression, as that expression in backticks (`` `[parameters('name')]` ``, as NSG
    /// labels show one), which tells the reader more than `'?'`.
    fn quoted_name(&self) -> String {
        const LONGEST_SHOWN: usize = 60;
        if self.name_segments.iter().all(Option::is_none) {
            if let Some(e) = self.name_expression() {
                // A partly known name, kept by evaluation as the known text and `unknown()`.
                if let Some(partial) = partial_text(e) {
                    return format!("'{partial}'");
                }
                if e.chars().count() <= LONGEST_SHOWN
                    && !e.contains('\n')
                    && !e.contains("unknown()")
                {
                    return format!("`{e}`");
                }
            }
        }
        let name: Vec<&str> = self
            .name_segments
            .iter()
            .map(|s| s.as_deref().unwrap_or("?"))
            .collect();
        format!("'{}'", name.join("/"))
    }

    /// The resource in a few words, for a headline: its Terraform address, or the last segment
    /// of its ARM type and its name (`batchAccounts 'acct'`, `pools 'acct/pool'`).
    pub fn short_display(&self) -> String {
        if let Some(a) = &self.tf_address {
            return a.clone();
        }
        let kind = self.rtype.rsplit('/').next().unwrap_or(&self.rtype);
        format!("{kind} {}", self.quoted_name())
    }
}

/// The text a partly known value stands for, `?` for each unknown part (`mlw-?`), when `e` is
/// the expression evaluation keeps such a value as: `[concat(...)]` of string literals and
/// `unknown()` calls, with at least one of each.
fn partial_text(e: &str) -> Option<String> {
    let mut rest = e.strip_prefix("[concat(")?.strip_suffix(")]")?;
    let (mut text, mut known, mut unknown) = (String::new(), false, false);
    loop {
        if let Some(after) = rest.strip_prefix("unknown()") {
            text.push('?');
            unknown = true;
            rest = after;
        } else {
            let mut chars = rest.strip_prefix('\'')?.char_indices();
            loop {
                let (i, c) = chars.next()?;
                if c != '\'' {
                    text.push(c);
                } else if chars.as_str().starts_with('\'') {
                    text.push('\'');
                    chars.next();
                } else {
                    rest = &rest[i + 2..];
                    break;
                }
            }
            known = true;
        }
        match rest.strip_prefix(", ") {
            Some(after) => rest = after,
            None if rest.is_empty() => break,
            None => return None,
        }
    }
    (known && unknown).then_some(text)
}

/// A resource's API version, and whether the text writes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Api<'a> {
    pub version: &'a str,
    /// Where the text writes it.
    pub span: Option<Span>,
    /// Who implies it when the text cannot write it, e.g. "the azurerm provider's Batch API".
    pub implied_by: Option<&'static str>,
}

/// A range of secret values (see [`Resource::sensitive`]): an attribute, name through value, and
/// its name, where a finding about a value inside it points instead, so that no report shows the
/// lines that hold the secrets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Secret {
    pub range: Span,
    pub name: Span,
}

/// A value the syntax rejects (see [`Resource::rejected`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    /// The attribute, name through value.
    pub at: Span,
    /// Its name as written.
    pub name: &'static str,
    /// The value as written, and where.
    pub value: String,
    pub value_at: Span,
    /// What is wrong, after the value: "spans 100 ports; the azurerm provider requires …".
    pub problem: String,
    /// How to write it instead.
    pub fix: &'static str,
    /// Which check it breaks, for the finding's discriminator: `form`, `size`.
    pub key: &'static str,
    /// The `name` of the block it was written in, where it has one: the elements of a `dynamic`
    /// block share their spans, and differ in their names.
    pub element: Option<String>,
}

/// What kind of input a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    ArmTemplate,
    ArmParameters,
    Terraform,
    Tfvars,
    /// A Terraform plan in JSON (`terraform show -json`): its planned resources, and in `root`
    /// the variable values and configuration addresses evaluation matches it by.
    TerraformPlan,
}

/// How serious a front-end's notice is: an error makes the input unreadable; a warning is a
/// fault in it; a note tells what batchguard leaves out of a valid input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeLevel {
    Error,
    Warning,
    Note,
}

/// A problem found while reading a file that is not a rule finding: syntax errors (errors, exit
/// 2), semantic faults (warnings, exit unchanged), and what is left out of a valid file (notes).
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub level: NoticeLevel,
    pub message: String,
    pub span: Span,
}

impl Notice {
    /// Does it make the input unreadable?
    pub fn is_error(&self) -> bool {
        self.level == NoticeLevel::Error
    }
}

/// What a front-end returns for one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub file: FileId,
    pub kind: DocKind,
    /// The resources as written, before evaluation (expressions are Unknown). Terraform's; an
    /// ARM template's only from `frontend::arm::load` (the scan evaluates it from `root`).
    pub resources: Vec<Resource>,
    pub notices: Vec<Notice>,
    /// ARM templates and parameter files: the whole root object, for evaluation (parameters,
    /// variables, copy loops).
    pub root: Option<Node>,
}

/// Where an evaluated value came from when it is not written where it is used: a variable
/// default, a tfvars entry, a parameter's `defaultValue`, a parameters-file value, a module
/// argument. A finding whose primary location contains `used_at` names `from` as a related
/// location.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub used_at: Span,
    pub from: Span,
    /// E.g. "value of variable `admin_cidr` (terraform.tfvars)".
    pub label: String,
    /// For the elements of an expanded `dynamic` block, which share their source text: the
    /// element's `name`, which a finding about that element quotes. The origin is named only on
    /// such findings, and for any finding inside `used_at` (the block's `content`).
    pub element: Option<String>,
    /// The value is secret (an ARM `securestring`/`secureObject` parameter, a Terraform
    /// variable declared `sensitive = true`): a finding names where it is defined, but a value
    /// quoted from `used_at` is shown as `(sensitive)`.
    pub secret: bool,
}

/// Small constructors for IR values with an empty span, for tests and benchmarks that build
/// rules and resources by hand.
pub mod build {
    use super::{Member, Node, Resource, Span, Value};

    pub fn span() -> Span {
        Span::new(0, 0, 0)
    }
    pub fn s(v: &str) -> Node {
        Node::new(Value::String(v.into()), span())
    }
    pub fn num(v: f64) -> Node {
        Node::new(Value::Number(v), span())
    }
    pub fn arr(v: &[&str]) -> Node {
        Node::new(Value::Array(v.iter().map(|x| s(x)).collect()), span())
    }
    pub fn unknown(reason: &str) -> Node {
        Node::unknown(reason, span())
    }
    pub fn obj(members: Vec<(&str, Node)>) -> Node {
        let members = members
            .into_iter()
            .map(|(k, v)| Member {
                key: k.to_string().into(),
                key_span: span(),
                value: v,
                written: None,
            })
            .collect();
        Node::new(Value::Object(members), span())
    }
    /// A resource of type `rtype` with `body`, in ARM's syntax, named by nothing.
    pub fn resource(rtype: &str, body: Node) -> Resource {
        Resource {
            rtype: rtype.into(),
            api_version: None,
            api_version_span: None,
            tf_address: None,
            name_segments: Vec::new(),
            name_span: span(),
            parent_ref: None,
            parent_ref_at: None,
            resource_group: None,
            header: span(),
            span: span(),
            body,
            provenance: Vec::new(),
            sensitive: Vec::new(),
            spelling: Default::default(),
            rejected: Vec::new(),
            conditional: None,
            api_profile: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_calls_are_told_from_deployments_by_their_address() {
        let at = |rtype: &str, address: Option<&str>| Resource {
            tf_address: address.map(str::to_string),
            ..build::resource(rtype, build::obj(Vec::new()))
        };
        let d = types::DEPLOYMENT;
        assert!(at(d, Some("module.pe")).is_module_call());
        assert!(at(d, Some("module.app[\"x\"].module.pe")).is_module_call());
        assert!(!at(d, Some("azapi_resource.d")).is_module_call());
        assert!(!at(d, Some("module.app.azapi_resource.d")).is_module_call());
        assert!(!at(d, Some("azapi_resource.submodule.x")).is_module_call());
        assert!(!at(d, None).is_module_call());
        assert!(!at(types::BATCH_ACCOUNT, Some("module.pe")).is_module_call());
    }

    #[test]
    fn partly_known_names_read_back_from_their_expression() {
        assert_eq!(
            partial_text("[concat('mlw-', unknown())]").as_deref(),
            Some("mlw-?")
        );
        assert_eq!(
            partial_text("[concat(unknown(), '-it''s-', unknown())]").as_deref(),
            Some("?-it's-?")
        );
        assert_eq!(partial_text("[concat(unknown())]"), None);
        assert_eq!(partial_text("[concat('a', 'b')]"), None);
        assert_eq!(partial_text("[concat('a', parameters('b'))]"), None);
        assert_eq!(partial_text("[concat('a', unknown()"), None);
        assert_eq!(partial_text("[concat('a, unknown())]"), None);
    }
}
