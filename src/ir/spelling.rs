//! How a resource's syntax writes the ARM properties the IR holds, so that messages and fixes
//! quote what the user wrote (or would write) without a rule knowing which syntax that was.
//!
//! The IR is ARM-shaped; a front-end that lowers another shape (the azurerm mapping table, say)
//! gives each resource a [`Spelling`] that turns an ARM property path back into its own names and
//! values, and says which properties it cannot express at all. ARM templates and azapi bodies write
//! ARM's own names: [`ARM`].

use serde_json::Value as Json;

/// A path of ARM keys below the resource object, e.g. `["properties", "publicNetworkAccess"]`,
/// with the number of leading keys that are context rather than the property's name in prose
/// (`1` shows `publicNetworkAccess`, `4` shows `windowsConfiguration.enableAutomaticUpdates` for a
/// pool's `properties.deploymentConfiguration.virtualMachineConfiguration.windowsConfiguration…`).
#[derive(Debug, Clone, Copy)]
pub struct PropPath<'a> {
    pub keys: &'a [&'a str],
    pub shown_from: usize,
}

impl<'a> PropPath<'a> {
    pub const fn new(keys: &'a [&'a str], shown_from: usize) -> PropPath<'a> {
        PropPath { keys, shown_from }
    }
    /// The keys below `properties` (or the whole path when it does not start there).
    pub fn of(keys: &'a [&'a str]) -> PropPath<'a> {
        let shown_from = usize::from(keys.first().is_some_and(|k| *k == "properties"));
        PropPath { keys, shown_from }
    }
    /// ARM's name for the property in prose: the shown keys, dotted.
    pub fn arm_name(&self) -> String {
        self.keys[self.shown_from.min(self.keys.len())..].join(".")
    }
}

/// Something a syntax cannot express for a resource type, and what to do instead.
#[derive(Debug)]
pub struct Limitation {
    /// Groups the resources of one syntax that share the limitation: a rule may say it once per
    /// scan rather than on each of them.
    pub key: &'static str,
    /// Why it cannot be set, e.g. "the azurerm provider has no setting for the pool's upgrade
    /// policy".
    pub why: &'static str,
    /// How to set it anyway, e.g. "set upgradePolicy with an azapi_resource …".
    pub instead: &'static str,
    /// The resources this concerns, in prose, e.g. "azurerm pool".
    pub what: &'static str,
}

/// How one syntax writes ARM properties. Implemented by the front-ends.
pub trait Spelling: Sync {
    /// The resource type as the user wrote it, in prose (`an azurerm_batch_pool`); `None` for
    /// ARM-shaped syntaxes, which write the ARM type.
    fn written_type(&self) -> Option<&'static str> {
        None
    }
    /// The property's name in prose as this syntax writes it.
    fn name(&self, path: PropPath) -> String {
        path.arm_name()
    }
    /// `value` (an ARM value) as this syntax writes it at `path`.
    fn value(&self, _path: PropPath, value: &Json) -> String {
        arm_value(value)
    }
    /// Setting the property to `value`, in prose: "publicNetworkAccess to Disabled" (ARM),
    /// "public_network_access_enabled = false" (a syntax with `=` assignments).
    fn assignment(&self, path: PropPath, value: &Json) -> String {
        format!("{} to {}", self.name(path), self.value(path, value))
    }
    /// Why this syntax cannot set the property at `path`, when it cannot.
    fn limitation(&self, _path: PropPath) -> Option<&'static Limitation> {
        None
    }
    /// When the syntax no longer supports the property (or, with an empty path, the resource
    /// type) at all: the phrase that says so, e.g. "which the azurerm provider removed in 5.0".
    fn retired(&self, _path: PropPath) -> Option<&'static str> {
        None
    }
    /// The value the syntax gives the property when the text leaves it out, where that differs
    /// from what Azure assumes when the property is absent (a provider default, say).
    fn default_value(&self, _path: &[&str]) -> Option<Json> {
        None
    }
    /// The API version resources of this syntax are created with when the text cannot say
    /// (a provider speaks one version): the version and who implies it, e.g.
    /// `("2024-07-01", "the azurerm provider's Batch API")`.
    fn implied_api_version(&self) -> Option<(&'static str, &'static str)> {
        None
    }
    /// Whether the syntax manages the list at `path` as a whole, so that child resources that
    /// add to it fight with it: the sentence that explains the conflict.
    fn exclusive(&self, _path: &[&str]) -> Option<&'static str> {
        None
    }
    /// Where this syntax writes the property at the ARM path `keys`, for a fix to edit it: the
    /// names from the resource block down (nested blocks, then the attribute). `None` where the
    /// syntax writes ARM's own keys (ARM templates, azapi bodies) or cannot write the property.
    fn written_path(&self, _keys: &[&str]) -> Option<Vec<WrittenStep>> {
        None
    }
    /// The ARM `value` at `keys` as this syntax writes it, as JSON: `false` for an azurerm
    /// `public_network_access_enabled` that ARM reads as `"Disabled"`.
    fn written_value(&self, _keys: &[&str], value: &Json) -> Json {
        value.clone()
    }
}

/// One name of a [`Spelling::written_path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenStep {
    pub name: &'static str,
    /// How many ARM keys of the path this name and those before it cover (a block's element
    /// position included).
    pub arm_end: usize,
    pub kind: StepKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Attribute,
    /// A block that appears at most once.
    Block,
    /// An element of a repeatable block: the ARM key before `arm_end` is its position.
    BlockElement,
}

/// What a rule reads that not every syntax can write: a rule applies to the syntaxes whose
/// front-end expresses all of its needs (see `frontend::syntaxes`).
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// Resources of this ARM type.
    Type(&'static str),
    /// This property (ARM keys below the resource object) of resources of this type.
    Property(&'static str, &'static [&'static str]),
    /// Resources of this type created with an API version before this one.
    ApiBefore(&'static str, &'static str),
}

/// A resource's spelling, as the IR holds it: compared by identity.
#[derive(Clone, Copy)]
pub struct SpellingRef(pub &'static dyn Spelling);

impl std::fmt::Debug for SpellingRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.written_type().unwrap_or("ARM"))
    }
}

impl PartialEq for SpellingRef {
    fn eq(&self, other: &SpellingRef) -> bool {
        std::ptr::addr_eq(
            self.0 as *const dyn Spelling,
            other.0 as *const dyn Spelling,
        )
    }
}

impl Default for SpellingRef {
    fn default() -> SpellingRef {
        SpellingRef(&ARM)
    }
}

/// An ARM value in prose: a string bare, everything else (lists included) as JSON.
pub fn arm_value(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// ARM templates and azapi bodies: ARM's own names and values.
pub struct Arm;

impl Spelling for Arm {}

pub static ARM: Arm = Arm;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn arm_spells_paths_below_the_context_and_values_bare() {
        let p = PropPath::of(&["properties", "publicNetworkAccess"]);
        assert_eq!(
            ARM.assignment(p, &json!("Disabled")),
            "publicNetworkAccess to Disabled"
        );
        let deep = PropPath::new(
            &[
                "properties",
                "deploymentConfiguration",
                "virtualMachineConfiguration",
                "windowsConfiguration",
                "enableAutomaticUpdates",
            ],
            3,
        );
        assert_eq!(
            ARM.assignment(deep, &json!(false)),
            "windowsConfiguration.enableAutomaticUpdates to false"
        );
        assert_eq!(ARM.value(p, &json!(["AAD"])), r#"["AAD"]"#);
    }
}
