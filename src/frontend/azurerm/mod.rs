//! azurerm → ARM: a mapping table that lowers azurerm resources onto the ARM property shape, so
//! that rules written against ARM paths hold for azurerm too (§1.9 and the rule pages).
//!
//! Each [`Mapping`] names the azurerm type, the ARM type, where the parent is referenced, and a
//! list of [`Field`]s: a snake_case attribute or block of the Terraform body, the dotted ARM path it
//! lands on (relative to the resource object, or to the enclosing block's object for fields of a
//! nested block) and a conversion. A lowered value keeps the span of the Terraform value it came
//! from and its member keeps the Terraform key span, so a finding on `publicNetworkAccess` points at
//! `public_network_access_enabled = true`. Objects the ARM shape needs but Terraform does not
//! write (`properties`, `publicIPAddressConfiguration`, …) span what they contain.
//!
//! Defaults are never filled in: an attribute that is absent stays absent, because azurerm and ARM
//! defaults differ in places (for example `ssh_public_access_enabled`, or an `azurerm_lb` without
//! `sku`); rules that depend on the azurerm default check [`Syntax::Azurerm`]. To support another
//! resource type, add a row to [`table::MAPPINGS`].
//!
//! The azurerm association resources (`azurerm_subnet_network_security_group_association`, …) are
//! not ARM resources; they lower to the link types of `ir::types::link` so the resource graph can read their
//! two ids from `properties`.
//!
//! - [`table`]: the table, one row per field (this file defines the row types);
//! - [`lower`](mod@lower): the engine that applies it to a resource block;
//! - [`convert`]: the conversions a row names by function (`Conv::Custom`);
//! - `tests.rs`: lowering tests per resource family.
//!
//! [`Syntax::Azurerm`]: crate::ir::Syntax::Azurerm

mod convert;
mod lower;
mod spelling;
// The table keeps one row per field on one line, which rustfmt would break up.
#[rustfmt::skip]
mod table;
#[cfg(test)]
mod tests;

pub(super) use convert::identity_value;
pub use lower::{arm_type, lower};
pub use spelling::expresses;

use crate::ir::spelling::Limitation;
use crate::ir::{Member, Node};

/// How one Terraform attribute or block becomes ARM (and, for messages, back: [`spelling`]).
enum Conv {
    /// The value as written.
    Same,
    /// `true` → `"Enabled"`, `false` → `"Disabled"`.
    Enabled,
    /// `true` → the first string, `false` → the second (`quarantine_policy_enabled` →
    /// `"enabled"`/`"disabled"`, `enforce_private_link_endpoint_network_policies` →
    /// `"Disabled"`/`"Enabled"`).
    Bool(&'static str, &'static str),
    /// Boolean negation (`local_auth_enabled` → `disableLocalAuth`).
    Not,
    /// A list of ids → `[{ "id": … }, …]`.
    IdObjects,
    /// A list of values → `[{ "<key>": … }, …]` (`service_endpoints` → `[{ "service": … }]`).
    Objects(&'static str),
    /// A block that appears at most once → an object mapped with the inner fields.
    Block(&'static [Field]),
    /// A repeatable block → an array of objects mapped with the inner fields.
    Blocks(&'static [Field]),
    /// Anything else: writes into the enclosing ARM object itself; the fields it maps inside
    /// the block, if any, for naming them back.
    Custom(fn(&Member, &Mcx, &'static str, &mut Node), &'static [Field]),
}

/// The blocks of an azurerm resource type's body, or of one of its blocks, as the table reads
/// them: for Terraform's JSON syntax, where a nested block is written as a JSON object or array
/// like an attribute of object type, and only the schema tells them apart.
#[derive(Clone, Copy)]
pub struct BlockSchema(&'static [Field]);

/// Conversions of whole blocks that name no rows inside.
const CUSTOM_BLOCKS: &[&str] = &["identity", "disk_encryption", "private_service_connection"];

/// Does the table map this resource type (does [`lower`] read its blocks)?
pub fn maps(tf_type: &str) -> bool {
    table::MAPPINGS.iter().any(|m| m.tf_type == tf_type)
}

/// The ARM type an azurerm resource type is read as (`azurerm_batch_pool` →
/// `Microsoft.Batch/batchAccounts/pools`), when the table maps it.
pub fn arm_type_of(tf_type: &str) -> Option<&'static str> {
    table::MAPPINGS
        .iter()
        .find(|m| m.tf_type.eq_ignore_ascii_case(tf_type.trim()))
        .map(|m| m.arm_type)
}

impl BlockSchema {
    /// The body of a resource type the table maps.
    pub fn of_type(tf_type: &str) -> Option<BlockSchema> {
        table::MAPPINGS
            .iter()
            .find(|m| m.tf_type == tf_type)
            .map(|m| BlockSchema(m.fields))
    }

    /// The schema of `name` when it is a block of this body.
    pub fn block(self, name: &str) -> Option<BlockSchema> {
        let rows = self.0.iter().chain(table::COMMON.iter());
        let field = rows
            .into_iter()
            .find(|f| f.tf.split('|').any(|t| t == name))?;
        match &field.conv {
            Conv::Block(sub) | Conv::Blocks(sub) => Some(BlockSchema(sub)),
            Conv::Custom(_, sub) if !sub.is_empty() || CUSTOM_BLOCKS.contains(&name) => {
                Some(BlockSchema(sub))
            }
            _ => None,
        }
    }
}

/// One row of the table.
struct Field {
    /// Terraform attribute or block name; `|` separates spellings of different provider versions.
    tf: &'static str,
    /// Dotted ARM path relative to the enclosing object.
    arm: &'static str,
    conv: Conv,
}

/// A row whose value is copied as written.
const fn f(tf: &'static str, arm: &'static str) -> Field {
    Field {
        tf,
        arm,
        conv: Conv::Same,
    }
}

/// A row whose value is converted.
const fn c(tf: &'static str, arm: &'static str, conv: Conv) -> Field {
    Field { tf, arm, conv }
}

/// Where a child resource names its parent.
enum Parent {
    None,
    /// The parent's name (`account_name`): the first name segment when literal.
    Name(&'static str),
    /// The parent's resource id (`machine_learning_workspace_id`).
    Id(&'static str),
}

/// One supported azurerm resource type.
struct Mapping {
    tf_type: &'static str,
    arm_type: &'static str,
    parent: Parent,
    fields: &'static [Field],
    /// ARM values implied by the Terraform type (`computeType`); they span the resource header.
    constants: &'static [(&'static str, &'static str)],
    /// What the provider sets when an attribute is left out, where that differs from what Azure
    /// assumes of an absent property: (ARM path, value). Not filled into the body; rules ask
    /// the resource's spelling.
    defaults: &'static [(&'static str, Default)],
    /// The API version the provider creates the resource with, and who that is.
    api_version: Option<(&'static str, &'static str)>,
    /// ARM properties the provider cannot set: (ARM path prefix, why).
    limits: &'static [(&'static str, &'static Limitation)],
    /// Attributes (or, at `""`, the whole type) the provider has removed: (ARM path, phrase).
    retired: &'static [(&'static str, &'static str)],
    /// Lists the provider manages as a whole: (ARM path, the conflict with child resources).
    exclusive: &'static [(&'static str, &'static str)],
}

/// A provider default.
#[derive(Clone, Copy)]
enum Default {
    Str(&'static str),
    Bool(bool),
}

/// A row of [`table::MAPPINGS`].
const fn m(
    tf_type: &'static str,
    arm_type: &'static str,
    parent: Parent,
    fields: &'static [Field],
    constants: &'static [(&'static str, &'static str)],
) -> Mapping {
    Mapping {
        tf_type,
        arm_type,
        parent,
        fields,
        constants,
        defaults: &[],
        api_version: None,
        limits: &[],
        retired: &[],
        exclusive: &[],
    }
}

impl Mapping {
    const fn defaults(mut self, d: &'static [(&'static str, Default)]) -> Mapping {
        self.defaults = d;
        self
    }
    const fn api_version(mut self, version: &'static str, by: &'static str) -> Mapping {
        self.api_version = Some((version, by));
        self
    }
    const fn limits(mut self, l: &'static [(&'static str, &'static Limitation)]) -> Mapping {
        self.limits = l;
        self
    }
    const fn retired(mut self, r: &'static [(&'static str, &'static str)]) -> Mapping {
        self.retired = r;
        self
    }
    const fn exclusive(mut self, e: &'static [(&'static str, &'static str)]) -> Mapping {
        self.exclusive = e;
        self
    }
}

/// What custom conversions need to know, and what they notice.
struct Mcx<'a> {
    text: &'a str,
    /// Values the provider rejects although the ARM shape can hold them.
    rejected: std::cell::RefCell<Vec<crate::ir::Rejected>>,
    /// The `name` of the block element being mapped, for what it rejects.
    element: std::cell::RefCell<Option<String>>,
}
