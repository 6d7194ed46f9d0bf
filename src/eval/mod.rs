//! Evaluation: what the template author would see at deploy time. For now the ARM expression
//! language's deployment-independent part (string building, resource ids), used by the graph to
//! resolve references. Depends on nothing but std.

pub mod arm_expr;
