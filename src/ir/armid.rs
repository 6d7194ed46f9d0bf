//! ARM resource ids, parsed in one place for the front-ends, evaluation and the graph.
//!
//! An id is `/subscriptions/{s}/resourceGroups/{rg}/providers/{Namespace}/{type}/{name}` with a
//! `/{type}/{name}` pair per child level (`…/virtualNetworks/v/subnets/s`). The subscription and
//! resource group are optional (subscription and tenant resources). An extension resource is
//! attached to another id: `{scope}/providers/{Namespace}/{type}/{name}`; the part after the last
//! `providers` segment is the resource, what comes before is its scope.
//!
//! An id built by an ARM expression may be partly unknown: [`ArmId::from_segments`] takes the
//! `/`-separated segments with `None` where a segment is not known. Type segments and the
//! namespace must be known; a name may not be (D23).

/// A parsed ARM resource id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmId {
    /// `/subscriptions/{subscription}` at the start of the id, when present and known.
    pub subscription: Option<String>,
    /// `/resourceGroups/{resource_group}` after the subscription, when present and known.
    pub resource_group: Option<String>,
    /// The resource provider namespace after the last `providers` segment (`Microsoft.Network`).
    pub provider: String,
    /// The type segments below the namespace, from the top-level resource down, as written
    /// (`["virtualNetworks", "subnets"]`).
    pub types: Vec<String>,
    /// One name per type segment; `None` where the name is not known (or empty).
    pub names: Vec<Option<String>>,
    /// For an extension resource, the resource it is attached to, when that is itself a
    /// provider resource.
    pub scope: Option<Box<ArmId>>,
}

impl ArmId {
    /// Parses a literal id. `None` when it names no resource under a provider: ids of a
    /// subscription or resource group, a bare name, a namespace without a `type/name` pair, a
    /// type without its name, empty type segments.
    pub fn parse(id: &str) -> Option<ArmId> {
        let segs: Vec<Option<&str>> = id.split('/').map(Some).collect();
        ArmId::from_segments(&segs)
    }

    /// Parses an id from its `/`-separated segments, `None` marking a segment that is not known
    /// (a leading `/` gives an empty first segment, as `str::split` does).
    pub fn from_segments<S: AsRef<str>>(segs: &[Option<S>]) -> Option<ArmId> {
        let seg = |i: usize| segs.get(i).and_then(|s| s.as_ref()).map(AsRef::as_ref);
        let is = |i: usize, word: &str| seg(i).is_some_and(|s| s.eq_ignore_ascii_case(word));
        let at = (0..segs.len()).rev().find(|&i| is(i, "providers"))?;
        let provider = seg(at + 1).filter(|s| !s.is_empty())?.to_string();
        let pairs = &segs[(at + 2).min(segs.len())..];
        if pairs.is_empty() || !pairs.len().is_multiple_of(2) {
            return None;
        }
        let mut types = Vec::with_capacity(pairs.len() / 2);
        let mut names = Vec::with_capacity(pairs.len() / 2);
        for pair in pairs.chunks(2) {
            let t = pair[0]
                .as_ref()
                .map(AsRef::as_ref)
                .filter(|t| !t.is_empty())?;
            types.push(t.to_string());
            names.push(
                pair[1]
                    .as_ref()
                    .map(AsRef::as_ref)
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
            );
        }
        // `/subscriptions/{s}[/resourceGroups/{rg}]` before the resource part; the leading `/`
        // gives an empty first segment (an id may also be written without it).
        let first = usize::from(seg(0) == Some(""));
        let known = |i: usize| {
            (i < at)
                .then(|| seg(i))
                .flatten()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let in_subscription = is(first, "subscriptions");
        let subscription = in_subscription.then(|| known(first + 1)).flatten();
        let resource_group = (in_subscription && is(first + 2, "resourceGroups"))
            .then(|| known(first + 3))
            .flatten();
        let scope = ArmId::from_segments(&segs[..at]).map(Box::new);
        Some(ArmId {
            subscription,
            resource_group,
            provider,
            types,
            names,
            scope,
        })
    }

    /// The full resource type, `Microsoft.Network/virtualNetworks/subnets`.
    pub fn rtype(&self) -> String {
        let mut t = self.provider.clone();
        for s in &self.types {
            t.push('/');
            t.push_str(s);
        }
        t
    }

    /// Is this an id of a resource of the full type `rtype` (compared case-insensitively)?
    pub fn is_type(&self, rtype: &str) -> bool {
        self.type_depth(rtype) == Some(self.types.len())
    }

    /// The last name: the resource's own name, when known.
    pub fn name(&self) -> Option<&str> {
        self.names.last().and_then(|n| n.as_deref())
    }

    /// The name of the resource of the full type `rtype` that this id names or lies under: the
    /// resource itself, one of its parents, or (for an extension resource) the resource it is
    /// attached to or that one's parents. `None` when there is none or its name is not known.
    pub fn name_of(&self, rtype: &str) -> Option<&str> {
        if let Some(n) = self.scope.as_ref().and_then(|s| s.name_of(rtype)) {
            return Some(n);
        }
        let depth = self.type_depth(rtype)?;
        self.names.get(depth - 1)?.as_deref()
    }

    /// How many type segments below the namespace `rtype` spans, if it is a prefix of this id's
    /// type (`Microsoft.Network/virtualNetworks` of a subnet id: 1).
    fn type_depth(&self, rtype: &str) -> Option<usize> {
        let mut parts = rtype.split('/');
        if !parts.next()?.eq_ignore_ascii_case(&self.provider) {
            return None;
        }
        let mut depth = 0;
        for p in parts {
            if !self.types.get(depth)?.eq_ignore_ascii_case(p) {
                return None;
            }
            depth += 1;
        }
        (depth > 0).then_some(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(id: &ArmId) -> Vec<&str> {
        id.names
            .iter()
            .map(|n| n.as_deref().unwrap_or("?"))
            .collect()
    }

    #[test]
    fn resource_group_resource() {
        let id = ArmId::parse(
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg",
        )
        .unwrap();
        assert_eq!(id.subscription.as_deref(), Some("0000"));
        assert_eq!(id.resource_group.as_deref(), Some("rg"));
        assert_eq!(id.provider, "Microsoft.Network");
        assert_eq!(id.types, ["networkSecurityGroups"]);
        assert_eq!(names(&id), ["nsg"]);
        assert_eq!(id.rtype(), "Microsoft.Network/networkSecurityGroups");
        assert_eq!(id.name(), Some("nsg"));
        assert!(id.scope.is_none());
        assert!(id.is_type("microsoft.network/NETWORKSECURITYGROUPS"));
        assert!(!id.is_type("Microsoft.Network/networkSecurityGroups/securityRules"));
        assert!(!id.is_type("Microsoft.Network"));
    }

    #[test]
    fn child_resources() {
        let id = ArmId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s1",
        )
        .unwrap();
        assert_eq!(id.rtype(), "Microsoft.Network/virtualNetworks/subnets");
        assert_eq!(names(&id), ["v", "s1"]);
        assert!(id.is_type("Microsoft.Network/virtualNetworks/subnets"));
        assert!(!id.is_type("Microsoft.Network/virtualNetworks"));
        assert_eq!(id.name_of("Microsoft.Network/virtualNetworks"), Some("v"));
        assert_eq!(
            id.name_of("microsoft.network/virtualnetworks/SUBNETS"),
            Some("s1")
        );
        assert_eq!(id.name_of("Microsoft.Network/networkSecurityGroups"), None);
        let pool = ArmId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Batch/batchAccounts/a/pools/p",
        )
        .unwrap();
        assert_eq!(names(&pool), ["a", "p"]);
    }

    #[test]
    fn subscription_and_tenant_resources() {
        let id = ArmId::parse("/subscriptions/s/providers/Microsoft.Network/dnsZones/z").unwrap();
        assert_eq!(id.subscription.as_deref(), Some("s"));
        assert_eq!(id.resource_group, None);
        assert_eq!(id.rtype(), "Microsoft.Network/dnsZones");
        let id = ArmId::parse("/providers/Microsoft.Management/managementGroups/mg").unwrap();
        assert_eq!((&id.subscription, &id.resource_group), (&None, &None));
        assert_eq!(id.name(), Some("mg"));
        // Written without the leading slash, or with another casing of the keywords.
        let id = ArmId::parse("SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/Microsoft.Web/sites/w")
            .unwrap();
        assert_eq!(id.resource_group.as_deref(), Some("rg"));
        assert_eq!(id.rtype(), "Microsoft.Web/sites");
    }

    #[test]
    fn extension_resources() {
        let id = ArmId::parse(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg/providers/Microsoft.Authorization/locks/l",
        )
        .unwrap();
        assert_eq!(id.rtype(), "Microsoft.Authorization/locks");
        assert_eq!(names(&id), ["l"]);
        assert_eq!(id.subscription.as_deref(), Some("s"));
        assert_eq!(id.resource_group.as_deref(), Some("rg"));
        let scope = id.scope.as_deref().unwrap();
        assert_eq!(scope.rtype(), "Microsoft.Network/networkSecurityGroups");
        assert_eq!(scope.name(), Some("nsg"));
        assert_eq!(
            id.name_of("Microsoft.Network/networkSecurityGroups"),
            Some("nsg")
        );
        // Attached to a subscription or to something that is not a provider resource.
        let id =
            ArmId::parse("/subscriptions/s/providers/Microsoft.Authorization/locks/l").unwrap();
        assert!(id.scope.is_none());
        let id = ArmId::parse("/x/providers/Microsoft.Authorization/locks/l").unwrap();
        assert_eq!((&id.scope, &id.subscription), (&None, &None));
        assert_eq!(id.rtype(), "Microsoft.Authorization/locks");
    }

    #[test]
    fn partly_unknown_segments() {
        // `/subscriptions/<unknown>/resourceGroups/<unknown>/providers/…/networkSecurityGroups/<unknown>`
        let segs = [
            Some(""),
            Some("subscriptions"),
            None,
            Some("resourceGroups"),
            None,
            Some("providers"),
            Some("Microsoft.Network"),
            Some("networkSecurityGroups"),
            None,
        ];
        let id = ArmId::from_segments(&segs).unwrap();
        assert_eq!(
            (id.subscription.as_deref(), id.resource_group.as_deref()),
            (None, None)
        );
        assert_eq!(id.rtype(), "Microsoft.Network/networkSecurityGroups");
        assert_eq!(id.names, [None]);
        assert_eq!(id.name_of("Microsoft.Network/networkSecurityGroups"), None);
        // An unknown namespace or type segment tells nothing.
        let mut unknown_type = segs;
        unknown_type[7] = None;
        assert_eq!(ArmId::from_segments(&unknown_type), None);
        let mut unknown_namespace = segs;
        unknown_namespace[6] = None;
        assert_eq!(ArmId::from_segments(&unknown_namespace), None);
    }

    #[test]
    fn malformed_input() {
        for bad in [
            "",
            "/",
            "nsg",
            "not an id",
            "/subscriptions/s",
            "/subscriptions/s/resourceGroups/rg",
            "/subscriptions/s/resourceGroups/rg/providers",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/",
            "/subscriptions/s/resourceGroups/rg/providers//virtualNetworks/v",
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network//v",
        ] {
            assert_eq!(ArmId::parse(bad), None, "{bad}");
        }
        // An empty name is a name not known.
        let id = ArmId::parse("/providers/Microsoft.Network/virtualNetworks//subnets/s").unwrap();
        assert_eq!(id.names, [None, Some("s".to_string())]);
        assert_eq!(id.name_of("Microsoft.Network/virtualNetworks"), None);
        // An empty subscription is not a subscription.
        let id = ArmId::parse("/subscriptions//resourceGroups/rg/providers/Microsoft.Web/sites/w")
            .unwrap();
        assert_eq!(id.subscription, None);
        assert_eq!(id.resource_group.as_deref(), Some("rg"));
    }
}
