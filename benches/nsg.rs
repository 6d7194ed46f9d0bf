//! First-match evaluation speed: an NSG with 1,000 user rules, evaluated for every destination
//! port (0–65535) from every internet-equivalent source, TCP and UDP. The baseline, measured in
//! the same run, is the same sweep over an NSG with 10 rules; the ratio shows how evaluation
//! scales with the rule count. Run with `cargo bench --bench nsg`.

use batchguard::ir::build::{num, obj, s};
use batchguard::ir::Span;
use batchguard::net::address::{Prefix, Probe};
use batchguard::net::nsg::{Direction, Flow, NsgRule, RuleList};
use batchguard::net::ports::{Protocol, EPHEMERAL};
use std::time::Instant;

/// A deterministic mix of rules: allows and denies from private ranges, tags and public CIDRs to
/// scattered ports; none matches the whole internet, so every probe walks the full list.
fn rules(n: usize) -> Vec<NsgRule> {
    let sources = [
        "10.0.0.0/8",
        "VirtualNetwork",
        "Storage.westeurope",
        "203.0.113.0/24",
        "192.168.0.0/16",
        "AzureLoadBalancer",
    ];
    (0..n)
        .map(|i| {
            let port_a = (i * 61) % 65000;
            let ports = if i % 3 == 0 {
                format!("{port_a}-{}", port_a + 50)
            } else {
                port_a.to_string()
            };
            NsgRule::from_ir(&obj(vec![
                ("name", s(&format!("r{i}"))),
                (
                    "properties",
                    obj(vec![
                        ("priority", num((100 + i) as f64)),
                        ("direction", s("Inbound")),
                        ("access", s(if i % 2 == 0 { "Allow" } else { "Deny" })),
                        ("protocol", s(if i % 4 == 0 { "Udp" } else { "Tcp" })),
                        ("sourceAddressPrefix", s(sources[i % sources.len()])),
                        ("sourcePortRange", s("*")),
                        ("destinationAddressPrefix", s("*")),
                        ("destinationPortRange", s(&ports)),
                    ]),
                ),
            ]))
        })
        .collect()
}

/// Evaluates every (source, protocol, port) and returns (evaluations, seconds, allows).
fn sweep(list: &RuleList) -> (usize, f64, usize) {
    let sources: Vec<Probe> = ["*", "Internet", "Any", "0.0.0.0/0", "0.0.0.0", "::/0"]
        .iter()
        .map(|p| {
            if *p == "Internet" {
                Probe::Internet
            } else {
                Prefix::parse(p).as_probe().unwrap()
            }
        })
        .collect();
    let start = Instant::now();
    let (mut n, mut allows) = (0, 0);
    for src in &sources {
        for protocol in [Protocol::Tcp, Protocol::Udp] {
            for port in 0..=65535u32 {
                let flow = Flow {
                    direction: Direction::Inbound,
                    protocol,
                    src: src.clone(),
                    src_ports: EPHEMERAL,
                    dst: Probe::VirtualNetwork,
                    dst_port: port,
                };
                let d = list.evaluate(&flow, None);
                allows += usize::from(d.outcome == batchguard::net::nsg::Outcome::Allow);
                n += 1;
            }
        }
    }
    (n, start.elapsed().as_secs_f64(), allows)
}

fn main() {
    let at = Span::new(0, 0, 0);
    let small = RuleList::new(rules(10), at);
    let large = RuleList::new(rules(1000), at);
    let (n, base, _) = sweep(&small);
    let (m, t, allows) = sweep(&large);
    println!(
        "10-rule NSG (baseline): {n} evaluations in {:.2} s ({:.2} µs each)",
        base,
        base * 1e6 / n as f64
    );
    println!(
        "1,000-rule NSG:         {m} evaluations in {:.2} s ({:.2} µs each, {allows} allowed)",
        t,
        t * 1e6 / m as f64
    );
    println!("1,000 rules / 10 rules: {:.1}x per evaluation", t / base);
}
