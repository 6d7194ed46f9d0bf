//! The files a repository's ignore files leave out of the scan: the `.gitignore` and `.ignore`
//! of each folder from the top of the repository ([`repository_top`]) down to the file, and the
//! repository's `.git/info/exclude`, as git reads them (a deeper file's patterns win; a folder
//! that holds a `.git` of its own is a nested repository, where the outer files stop applying).
//! They apply outside git too, where the scan root is the top.
//!
//! Nothing above the top is read, so a `.gitignore` around a checkout (in the home folder, in a
//! CI workspace) never hides its inputs. The files are read here rather than by the walker, with
//! [`read_regular`] and a size limit, so that an ignore file that is a named pipe or is huge is
//! reported and never stops the scan.
//!
//! [`repository_top`]: crate::controls::config::repository_top

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

use crate::source::{read_regular, ReadError};

/// Largest ignore file read.
const MAX_BYTES: u64 = 1 << 20;

/// The ignore files of one repository, read once per folder as the walk reaches it.
pub struct Ignores {
    top: PathBuf,
    by_dir: Mutex<HashMap<PathBuf, Folder>>,
    /// Ignore files that could not be read: path and reason.
    problems: Mutex<Vec<(PathBuf, String)>>,
}

/// What one folder says about the paths below it, looked at once per folder.
#[derive(Clone)]
struct Folder {
    /// Its ignore files' patterns, if it has any.
    patterns: Option<Arc<Gitignore>>,
    /// It holds a `.git`: the top of a (possibly nested) repository.
    repository_top: bool,
}

impl Ignores {
    /// The ignore files of the repository whose top is `top` (absolute, canonical).
    pub fn new(top: PathBuf) -> Ignores {
        Ignores {
            top,
            by_dir: Mutex::new(HashMap::new()),
            problems: Mutex::new(Vec::new()),
        }
    }

    /// Is `path` (absolute, below the top) left out by the ignore files of its folders? The
    /// deepest file with a matching pattern decides (`!pattern` keeps a path in).
    pub fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        for dir in path.ancestors().skip(1) {
            if !dir.starts_with(&self.top) {
                break;
            }
            let folder = self.of(dir);
            if let Some(gi) = &folder.patterns {
                match gi.matched(path, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
            if folder.repository_top {
                break;
            }
        }
        false
    }

    /// The ignore files that could not be read, with the reason, in path order.
    pub fn problems(&self) -> Vec<(PathBuf, String)> {
        let mut p = self.problems.lock().map(|p| p.clone()).unwrap_or_default();
        p.sort();
        p
    }

    /// The patterns of one folder: `.git/info/exclude` (at a repository's top), `.gitignore`,
    /// then `.ignore`, each later file winning over the earlier ones; and whether it is the top
    /// of a repository.
    fn of(&self, dir: &Path) -> Folder {
        if let Some(known) = self.by_dir.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return known;
        }
        let mut builder = GitignoreBuilder::new(dir);
        let mut any = false;
        let files = [
            dir.join(".git").join("info").join("exclude"),
            dir.join(".gitignore"),
            dir.join(".ignore"),
        ];
        for (i, file) in files.iter().enumerate() {
            // Only look at what is there; `.git` may be a file (a worktree).
            let Ok(meta) = file.symlink_metadata() else {
                continue;
            };
            if i == 0 && !meta.is_file() {
                continue;
            }
            if meta.file_type().is_symlink()
                && !file.canonicalize().is_ok_and(|t| t.starts_with(&self.top))
            {
                if let Ok(mut p) = self.problems.lock() {
                    p.push((
                        file.clone(),
                        "it is a symbolic link that does not lead to a file in the repository"
                            .into(),
                    ));
                }
                continue;
            }
            let text = match read_regular(file, MAX_BYTES) {
                Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                Err(e) => {
                    let why = match e {
                        ReadError::NotRegular(what) => format!("it is {what}, not a regular file"),
                        ReadError::TooLarge(_) => {
                            format!("it is larger than {} KiB", MAX_BYTES >> 10)
                        }
                        ReadError::Io(e) => e.to_string(),
                    };
                    if let Ok(mut p) = self.problems.lock() {
                        p.push((file.clone(), why));
                    }
                    continue;
                }
            };
            for line in text.lines() {
                // A bad pattern is left out, as git does.
                let _ = builder.add_line(Some(file.clone()), line);
                any = true;
            }
        }
        let folder = Folder {
            patterns: any
                .then(|| builder.build().ok())
                .flatten()
                .filter(|gi| !gi.is_empty())
                .map(Arc::new),
            repository_top: dir.join(".git").symlink_metadata().is_ok(),
        };
        if let Ok(mut m) = self.by_dir.lock() {
            m.insert(dir.to_path_buf(), folder.clone());
        }
        folder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deeper_files_win_and_nothing_above_the_top_is_read() {
        let tmp = tempfile::tempdir().unwrap();
        let outer = tmp.path().canonicalize().unwrap();
        let top = outer.join("repo");
        std::fs::create_dir_all(top.join("a/b")).unwrap();
        std::fs::write(outer.join(".gitignore"), "*.tf\n").unwrap();
        std::fs::write(top.join(".gitignore"), "*.tfvars\nbuild/\n").unwrap();
        std::fs::write(top.join("a/.gitignore"), "!keep.tfvars\n").unwrap();
        let ig = Ignores::new(top.clone());
        assert!(!ig.ignored(&top.join("main.tf"), false));
        assert!(ig.ignored(&top.join("x.tfvars"), false));
        assert!(!ig.ignored(&top.join("a/b/keep.tfvars"), false));
        assert!(ig.ignored(&top.join("a/b/other.tfvars"), false));
        assert!(ig.ignored(&top.join("a/build"), true));
        assert!(!ig.ignored(&top.join("a/build"), false));
        // A nested repository: the outer files stop at its top.
        std::fs::create_dir_all(top.join("a/nested/.git")).unwrap();
        assert!(!ig.ignored(&top.join("a/nested/y.tfvars"), false));
        assert!(ig.problems().is_empty());
    }
}
