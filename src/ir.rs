//! The peering model (IR): the VNets, subnets, gateways and peerings of an estate.
//!
//! This is the contract between frontends and rules. It describes networks, not syntax:
//! a frontend lowers whatever it reads into these types, the linker resolves the
//! references between them, and rules only ever read them. Every value a frontend could
//! not determine is [`Value::Unknown`]; rules stay silent on unknowns.

use crate::source::FileId;
use ipnet::IpNet;
use std::fmt;

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A value a frontend could determine, or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<T> {
    Known(T),
    Unknown,
}

impl<T> Value<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Value::Known(v) => Some(v),
            Value::Unknown => None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Known(v) => Value::Known(f(v)),
            Value::Unknown => Value::Unknown,
        }
    }
}

impl Value<bool> {
    /// True only when the value is known to be `true`.
    pub fn is_true(&self) -> bool {
        matches!(self, Value::Known(true))
    }
}

impl<T> From<Option<T>> for Value<T> {
    fn from(v: Option<T>) -> Self {
        match v {
            Some(v) => Value::Known(v),
            None => Value::Unknown,
        }
    }
}

/// Typed indexes into the [`Model`]'s tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VnetId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeeringId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GatewayId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SubnetId(pub u32);

/// How a VNet was created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeploymentModel {
    /// `Microsoft.Network/virtualNetworks`.
    ResourceManager,
    /// `Microsoft.ClassicNetwork/virtualNetworks` (Azure Service Manager).
    Classic,
}

/// The subscription part of a resource's identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subscription {
    /// A literal subscription id (stored lowercase).
    Known(String),
    /// "The subscription of this provider configuration" (or of this variable, …): the
    /// same symbol is the same subscription, two different symbols may or may not be.
    /// See [`Model::symbols`].
    Symbolic(u32),
    Unknown,
}

impl Subscription {
    /// Certainly the same subscription: the same id, or the same symbol.
    pub fn certainly_same(&self, other: &Subscription) -> bool {
        match (self, other) {
            (Subscription::Known(x), Subscription::Known(y)) => x == y,
            (Subscription::Symbolic(x), Subscription::Symbolic(y)) => x == y,
            _ => false,
        }
    }
}

/// An Azure region, normalised so that `West Europe`, `westeurope` and `WESTEUROPE` compare
/// equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Lowercase, without whitespace: the key used for comparisons.
    pub normalized: String,
    /// As written.
    pub written: String,
}

impl Location {
    pub fn new(written: &str) -> Location {
        Location {
            normalized: written
                .chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect(),
            written: written.to_string(),
        }
    }
}

/// One address prefix as written, and the network it denotes when it is valid CIDR.
#[derive(Debug, Clone, PartialEq)]
pub struct Prefix {
    pub text: String,
    /// The network with host bits cleared; `None` when `text` is not valid CIDR.
    pub net: Option<IpNet>,
    pub span: Span,
}

impl Prefix {
    pub fn new(text: &str, span: Span) -> Prefix {
        Prefix {
            text: text.to_string(),
            net: text.trim().parse::<IpNet>().ok().map(|n| n.trunc()),
            span,
        }
    }
}

/// A list of address prefixes, possibly only partly known.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AddressSpace {
    pub prefixes: Vec<Prefix>,
    /// False when some prefixes could not be determined (so `prefixes` is a subset).
    pub complete: bool,
    /// Where the setting is written, when it is.
    pub span: Option<Span>,
}

impl AddressSpace {
    pub fn unknown() -> AddressSpace {
        AddressSpace {
            prefixes: Vec::new(),
            complete: false,
            span: None,
        }
    }

    /// The valid networks, with the prefix each came from.
    pub fn nets(&self) -> impl Iterator<Item = (&IpNet, &Prefix)> {
        self.prefixes
            .iter()
            .filter_map(|p| p.net.as_ref().map(|n| (n, p)))
    }
}

/// What the code says about a VNet's identity: enough to find it among the declared ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VnetKey {
    pub subscription: Subscription,
    pub resource_group: String,
    pub name: String,
    /// `None` when the reference does not say (a lookup by name).
    pub model: Option<DeploymentModel>,
}

/// A reference to a VNet: what the code wrote, and (after linking) which VNet it is.
#[derive(Debug, Clone, PartialEq)]
pub struct VnetRef {
    pub target: Value<VnetKey>,
    /// Where the reference is written.
    pub span: Span,
    /// Set by the linker when exactly one VNet in the model matches `target`.
    pub resolved: Option<VnetId>,
}

impl VnetRef {
    pub fn new(target: Value<VnetKey>, span: Span) -> VnetRef {
        VnetRef {
            target,
            span,
            resolved: None,
        }
    }
}

/// A VNet declared in the checked code.
#[derive(Debug, Clone, PartialEq)]
pub struct Vnet {
    /// How messages name it, e.g. `azurerm_virtual_network.hub`.
    pub label: String,
    pub name: Value<String>,
    pub resource_group: Value<String>,
    pub subscription: Subscription,
    /// The location and where it is written (the block itself when not written).
    pub location: Spanned<Value<Location>>,
    pub address_space: AddressSpace,
    pub model: DeploymentModel,
    /// Declared elsewhere and only read here (a Terraform data source, an ARM `existing`
    /// resource): its identity is known, its contents are not. The linker prefers a VNet
    /// that is declared over one that is only read.
    pub existing: bool,
    /// The declaration (block or object) as a whole.
    pub origin: Span,
    /// Known from the deployed estate (an inventory) only, not declared in the code.
    pub deployed: bool,
    /// Its gateways may not all be known, though it is described: an inventory entry
    /// without its `subnets` (where peerlint sees a gateway).
    pub gateways_unknown: bool,
    /// When the change under review resizes the VNet (a plan's update, or code that
    /// differs from the inventory): the address prefixes it has now.
    pub address_change: Option<Vec<String>>,
    /// Filled in by the linker.
    pub subnets: Vec<SubnetId>,
    /// Filled in by the linker.
    pub gateways: Vec<GatewayId>,
}

/// A subnet, declared inline in its VNet or on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Subnet {
    pub label: String,
    pub name: Value<String>,
    pub vnet: VnetRef,
    pub address_prefixes: AddressSpace,
    pub origin: Span,
}

impl Subnet {
    /// How messages name a subnet declared inside its VNet: `vnet-label (subnet name)`.
    pub fn inline_label(vnet_label: &str, name: &Value<String>) -> String {
        match name {
            Value::Known(n) => format!("{vnet_label} (subnet {n})"),
            Value::Unknown => format!("{vnet_label} (subnet)"),
        }
    }
}

/// The kind of a virtual network gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayKind {
    Vpn,
    ExpressRoute,
}

impl fmt::Display for GatewayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GatewayKind::Vpn => "VPN",
            GatewayKind::ExpressRoute => "ExpressRoute",
        })
    }
}

/// A virtual network gateway, tied to a VNet through the subnet it sits in.
#[derive(Debug, Clone, PartialEq)]
pub struct Gateway {
    pub label: String,
    pub name: Value<String>,
    pub kind: Value<GatewayKind>,
    pub sku: Option<Spanned<Value<String>>>,
    /// The VNet of the gateway's subnet (`…/virtualNetworks/<vnet>/subnets/GatewaySubnet`).
    pub vnet: VnetRef,
    pub origin: Span,
}

/// A boolean setting of a peering: its value, its name as the code spells it
/// (`allow_gateway_transit`, `allowGatewayTransit`), and where it is written (`None` when
/// the code leaves it at its default).
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub name: String,
    pub value: Value<bool>,
    pub span: Option<Span>,
    /// The syntax of the code that sets it (for messages that show a setting).
    pub syntax: Syntax,
}

/// The syntax code is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// HCL (Terraform).
    Hcl,
    /// JSON (ARM templates, Terraform plans).
    Json,
}

impl Flag {
    pub fn default_value(name: &str, value: bool, syntax: Syntax) -> Flag {
        Flag {
            name: name.to_string(),
            value: Value::Known(value),
            span: None,
            syntax,
        }
    }

    /// The setting as the code writes it: `use_remote_gateways = false` in HCL,
    /// `"useRemoteGateways": false` in JSON.
    pub fn setting(&self, value: bool) -> String {
        match self.syntax {
            Syntax::Hcl => format!("{} = {value}", self.name),
            Syntax::Json => format!("\"{}\": {value}", self.name),
        }
    }
}

/// Whether two peerings may exist in Azure together: not of two different variants
/// (see [`Peering::variant`]).
pub fn together(a: &Peering, b: &Peering) -> bool {
    match (a.variant, b.variant) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// A peering from its local VNet to a remote one.
#[derive(Debug, Clone, PartialEq)]
pub struct Peering {
    /// How messages name it, e.g. `azurerm_virtual_network_peering.hub_to_spoke`.
    pub label: String,
    pub name: Value<String>,
    pub local: VnetRef,
    pub remote: VnetRef,
    pub allow_virtual_network_access: Flag,
    pub allow_forwarded_traffic: Flag,
    pub allow_gateway_transit: Flag,
    pub use_remote_gateways: Flag,
    /// False for subnet peering: only the named subnets are peered.
    pub peer_complete_vnets: Flag,
    pub local_subnet_names: Option<Spanned<Value<Vec<String>>>>,
    pub remote_subnet_names: Option<Spanned<Value<Vec<String>>>>,
    pub only_ipv6: Flag,
    /// Known from the deployed estate (an inventory), not declared in the code.
    pub deployed: bool,
    /// Azure has it already: it is `deployed`, the inventory shows the peering the code
    /// declares, or a plan keeps or updates it (does not create it). Of two peerings in
    /// conflict, the one that does not exist yet is the one Azure rejects.
    pub exists: bool,
    /// Which alternative it belongs to, when the check describes several estates that are
    /// never deployed together: one template with each of its parameter files (dev,
    /// prod), each of several plans of one root module. Two peerings of different
    /// variants never meet in Azure; `None` goes with every variant.
    pub variant: Option<u32>,
    /// Declared in Terraform code (not a plan): a new name replaces it in the same apply,
    /// the old one destroyed first, so an existing peering of its VNet under another name
    /// may be its own earlier version.
    pub renames_replace: bool,
    /// Whether the change re-syncs the peering with its remote VNet (a plan that updates
    /// its `triggers`, or replaces it).
    pub resync: bool,
    pub origin: Span,
}

/// The whole estate, as the rules see it.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub vnets: Vec<Vnet>,
    pub subnets: Vec<Subnet>,
    pub gateways: Vec<Gateway>,
    pub peerings: Vec<Peering>,
    /// What each symbol stands for (`var.hub_name`, `random_string.suffix.result`, the
    /// subscription of a provider), for messages. See [`token`].
    pub symbols: Vec<String>,
    /// What may be declared in something peerlint did not expand or follow.
    pub gaps: Gaps,
    /// How many variants (see [`Peering::variant`]) the frontends have made.
    pub variants: u32,
    /// The checked code declares a virtual network gateway resource, whatever its count
    /// or condition: its gateways are managed here, not only in another stack.
    pub gateways_declared: bool,
}

/// What the checked code may declare beyond the model: set when a resource whose
/// `count`/`for_each` (ARM: copy count) is not known, a module not installed or an ARM
/// linked template not read may hold a gateway or a peering. "This VNet has no gateway"
/// and "no peering goes back" are not known then. See also [`Vnet::gateways_unknown`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gaps {
    pub gateways: bool,
    pub peerings: bool,
}

impl Gaps {
    /// Anything at all: a module or template not followed.
    pub const ALL: Gaps = Gaps {
        gateways: true,
        peerings: true,
    };

    /// What instances not known of a resource of type `ty` may hide: a Terraform type
    /// (`azurerm_virtual_network_peering`, `azapi_resource`) or an ARM one
    /// (`Microsoft.Network/virtualNetworks/virtualNetworkPeerings`); an ARM type that is
    /// an expression (`[…]`) may be anything.
    pub fn of_type(ty: &str) -> Gaps {
        let t = ty.to_ascii_lowercase();
        if t.starts_with('[') || t.starts_with("azapi_") || t == "microsoft.resources/deployments" {
            return Gaps::ALL;
        }
        Gaps {
            // A gateway, or a subnet that may be the GatewaySubnet a gateway needs.
            gateways: t == "azurerm_virtual_network_gateway"
                || t == "microsoft.network/virtualnetworkgateways"
                || t == "azurerm_subnet"
                || t.ends_with("/subnets")
                || t == "subnets",
            peerings: t == "azurerm_virtual_network_peering"
                || t == "microsoft.network/virtualnetworks"
                || t.ends_with("virtualnetworkpeerings"),
        }
    }

    pub fn merge(&mut self, other: Gaps) {
        self.gateways |= other.gateways;
        self.peerings |= other.peerings;
    }
}

impl Model {
    /// A new variant number (see [`Peering::variant`]).
    pub fn new_variant(&mut self) -> u32 {
        self.variants += 1;
        self.variants
    }

    pub fn vnet(&self, id: VnetId) -> &Vnet {
        &self.vnets[id.0 as usize]
    }

    pub fn subnet(&self, id: SubnetId) -> &Subnet {
        &self.subnets[id.0 as usize]
    }

    pub fn gateway(&self, id: GatewayId) -> &Gateway {
        &self.gateways[id.0 as usize]
    }

    /// The VNet a reference resolved to, if any.
    pub fn resolve(&self, r: &VnetRef) -> Option<&Vnet> {
        r.resolved.map(|id| self.vnet(id))
    }

    /// Whether the referenced VNet is classic: from the VNet when it is declared, else
    /// from the resource type the reference names.
    pub fn is_classic(&self, r: &VnetRef) -> Value<bool> {
        if let Some(vnet) = self.resolve(r) {
            return Value::Known(vnet.model == DeploymentModel::Classic);
        }
        match &r.target {
            Value::Known(VnetKey {
                model: Some(model), ..
            }) => Value::Known(*model == DeploymentModel::Classic),
            _ => Value::Unknown,
        }
    }

    /// Calls `f` on every span in the model (for a frontend that must translate the
    /// spans it produced, such as one that reads rewritten text).
    pub fn for_each_span_mut(&mut self, mut f: impl FnMut(&mut Span)) {
        let vref = |r: &mut VnetRef, f: &mut dyn FnMut(&mut Span)| f(&mut r.span);
        let space = |a: &mut AddressSpace, f: &mut dyn FnMut(&mut Span)| {
            for p in &mut a.prefixes {
                f(&mut p.span);
            }
        };
        for v in &mut self.vnets {
            f(&mut v.location.span);
            f(&mut v.origin);
            space(&mut v.address_space, &mut f);
        }
        for s in &mut self.subnets {
            f(&mut s.origin);
            vref(&mut s.vnet, &mut f);
            space(&mut s.address_prefixes, &mut f);
        }
        for g in &mut self.gateways {
            f(&mut g.origin);
            vref(&mut g.vnet, &mut f);
            if let Some(sku) = &mut g.sku {
                f(&mut sku.span);
            }
        }
        for p in &mut self.peerings {
            f(&mut p.origin);
            vref(&mut p.local, &mut f);
            vref(&mut p.remote, &mut f);
            for flag in [
                &mut p.allow_virtual_network_access,
                &mut p.allow_forwarded_traffic,
                &mut p.allow_gateway_transit,
                &mut p.use_remote_gateways,
                &mut p.peer_complete_vnets,
                &mut p.only_ipv6,
            ] {
                if let Some(span) = &mut flag.span {
                    f(span);
                }
            }
            for names in [&mut p.local_subnet_names, &mut p.remote_subnet_names]
                .into_iter()
                .flatten()
            {
                f(&mut names.span);
            }
        }
    }

    /// How messages name the referenced VNet: its label when declared, else its name.
    pub fn describe(&self, r: &VnetRef) -> String {
        if let Some(vnet) = self.resolve(r) {
            return vnet.label.clone();
        }
        match &r.target {
            Value::Known(key) => token::display(&key.name, &self.symbols),
            Value::Unknown => "(unknown VNet)".to_string(),
        }
    }
}

/// Markers a frontend may embed in evaluated strings for the parts it cannot know, so that
/// a resource id like `/subscriptions/<unknown>/resourceGroups/rg/…` still names its
/// resource group and resource. They are Unicode private-use characters: no real id or
/// name contains them, and case mapping leaves them alone.
///
/// A *symbol* stands for one value that is not known but is the same wherever the symbol
/// appears (a variable given at plan time, a computed attribute such as a random suffix):
/// two strings built from the same symbols name the same thing, so a VNet named
/// `vnet-${random_string.suffix.result}` is still found by its id. An `UNKNOWN` part is
/// just unknown: a string with one can't be compared with anything.
pub mod token {
    use super::Subscription;

    const SYMBOL_OPEN: char = '\u{E000}';
    const SYMBOL_CLOSE: char = '\u{E001}';
    /// Stands for an unknown part of a string.
    pub const UNKNOWN: char = '\u{E002}';

    /// The text that stands for symbol `n` (see [`super::Model::symbols`]).
    pub fn symbol(n: u32) -> String {
        format!("{SYMBOL_OPEN}{n}{SYMBOL_CLOSE}")
    }

    /// Whether `s` contains a part that is not known and has no identity either.
    pub fn has_unknown(s: &str) -> bool {
        s.contains(UNKNOWN)
    }

    /// Whether `s` contains any marker at all (unknown part or symbol): its text is not
    /// known.
    pub fn is_opaque(s: &str) -> bool {
        s.chars()
            .any(|c| c == UNKNOWN || c == SYMBOL_OPEN || c == SYMBOL_CLOSE)
    }

    /// The symbols `s` holds, in order.
    pub fn symbols_in(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(open) = rest.find(SYMBOL_OPEN) {
            rest = &rest[open + SYMBOL_OPEN.len_utf8()..];
            let Some(close) = rest.find(SYMBOL_CLOSE) else {
                break;
            };
            if let Ok(n) = rest[..close].parse() {
                out.push(n);
            }
            rest = &rest[close + SYMBOL_CLOSE.len_utf8()..];
        }
        out
    }

    /// The subscription a resource-id segment denotes.
    pub fn subscription(segment: &str) -> Subscription {
        if let Some(inner) = segment
            .strip_prefix(SYMBOL_OPEN)
            .and_then(|s| s.strip_suffix(SYMBOL_CLOSE))
            && let Ok(n) = inner.parse()
        {
            return Subscription::Symbolic(n);
        }
        if is_opaque(segment) || segment.is_empty() {
            Subscription::Unknown
        } else {
            Subscription::Known(segment.to_ascii_lowercase())
        }
    }

    /// `s` with each unknown part and symbol replaced by `with`.
    pub fn mask(s: &str, with: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut inside = false;
        for c in s.chars() {
            match c {
                UNKNOWN => out.push_str(with),
                SYMBOL_OPEN => {
                    inside = true;
                    out.push_str(with);
                }
                SYMBOL_CLOSE => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    }

    /// `s` with its markers replaced by readable placeholders, for messages.
    pub fn display(s: &str, symbols: &[String]) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find([UNKNOWN, SYMBOL_OPEN]) {
            out.push_str(&rest[..i]);
            let c = rest[i..].chars().next().unwrap_or(UNKNOWN);
            rest = &rest[i + c.len_utf8()..];
            if c == UNKNOWN {
                out.push_str("(unknown)");
            } else {
                let end = rest.find(SYMBOL_CLOSE).unwrap_or(rest.len());
                let n: Option<usize> = rest[..end].parse().ok();
                match n.and_then(|n| symbols.get(n)) {
                    Some(name) => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                    None => out.push_str("(unknown)"),
                }
                rest = rest.get(end + SYMBOL_CLOSE.len_utf8()..).unwrap_or("");
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_compare_by_normalized_name() {
        assert_eq!(
            Location::new("West Europe").normalized,
            Location::new("westeurope").normalized
        );
        assert_eq!(Location::new("WESTEUROPE").normalized, "westeurope");
        assert_ne!(
            Location::new("westeurope").normalized,
            Location::new("northeurope").normalized
        );
    }

    #[test]
    fn prefixes_clear_host_bits_and_keep_invalid_text() {
        let span = Span::new(FileId(0), 0..1);
        let p = Prefix::new("10.0.0.1/16", span);
        assert_eq!(p.net, Some("10.0.0.0/16".parse().unwrap()));
        assert_eq!(p.text, "10.0.0.1/16");
        assert_eq!(Prefix::new("10.0.0.0", span).net, None);
        assert_eq!(
            Prefix::new("fd00:db8::/48", span).net,
            Some("fd00:db8::/48".parse().unwrap())
        );
    }

    #[test]
    fn tokens_round_trip() {
        let s = token::symbol(3);
        assert_eq!(token::subscription(&s), Subscription::Symbolic(3));
        assert_eq!(
            token::subscription("ABC-def"),
            Subscription::Known("abc-def".into())
        );
        let unknown = format!("x{}y", token::UNKNOWN);
        assert_eq!(token::subscription(&unknown), Subscription::Unknown);
        let id = format!(
            "/subscriptions/{}/resourceGroups/{unknown}",
            token::symbol(0)
        );
        assert_eq!(
            token::display(&id, &["provider azurerm".into()]),
            "/subscriptions/{provider azurerm}/resourceGroups/x(unknown)y"
        );
    }
}
