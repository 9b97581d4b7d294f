//! `missing-reverse-peering`: a peering A→B where B is declared in the checked code, and
//! no peering B→A exists.

use super::{Level, Options, Rule, RuleMeta, peerings_between};
use crate::diagnostic::{Diagnostic, Label};
use crate::ir::{DeploymentModel, Model};

pub(crate) struct MissingReversePeering;

static META: RuleMeta = RuleMeta {
    id: "missing-reverse-peering",
    summary: "A peering has no peering back from the remote VNet, which the code declares",
    default_level: Level::Warning,
    doc: include_str!("../../docs/rules/missing-reverse-peering.md"),
};

impl Rule for MissingReversePeering {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, model: &Model, _: &Options, out: &mut Vec<Diagnostic>) {
        for p in &model.peerings {
            let (Some(local), Some(remote)) = (p.local.resolved, p.remote.resolved) else {
                continue;
            };
            let r = model.vnet(remote);
            if local == remote || p.existing || r.existing {
                continue;
            }
            // A classic VNet takes no peering of its own: with a Resource Manager VNet, the
            // one peering from that side is the whole link.
            if r.model == DeploymentModel::Classic
                || model.vnet(local).model == DeploymentModel::Classic
            {
                continue;
            }
            if peerings_between(model, remote, local).next().is_some() {
                continue;
            }
            // A peering of the remote VNet whose target is not known may be the reverse one.
            let maybe = model
                .peerings
                .iter()
                .any(|q| q.local.resolved == Some(remote) && q.remote.resolved.is_none())
                || model
                    .peerings
                    .iter()
                    .any(|q| q.local.resolved.is_none() && q.remote.resolved == Some(local));
            if maybe {
                continue;
            }
            out.push(
                Diagnostic::new(
                    "missing-reverse-peering",
                    format!(
                        "`{}` peers `{}` with `{}`, but no peering goes back from `{}`",
                        p.label,
                        model.vnet(local).label,
                        r.label,
                        r.label
                    ),
                    Label::new(p.remote.span, "no peering back"),
                )
                .with_related(Label::new(
                    r.origin,
                    format!(
                        "`{}` has no peering to `{}`",
                        r.label,
                        model.vnet(local).label
                    ),
                ))
                .with_note(
                    "A peering is connected only when both VNets peer with each other; alone it \
                     stays `Initiated` and passes no traffic. Azure reports no error.",
                )
                .with_help(format!(
                    "add the peering from `{}` to `{}`",
                    r.label,
                    model.vnet(local).label
                )),
            );
        }
    }
}
