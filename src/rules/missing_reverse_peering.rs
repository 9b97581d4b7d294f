//! `missing-reverse-peering`: a peering A→B where B is declared in the checked code, and
//! no peering B→A exists.

use super::{Level, Options, Rule, RuleMeta, certain_link, peerings_between};
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
        // The reverse peering may be among what peerlint did not expand or follow.
        if model.gaps.peerings {
            return;
        }
        for p in &model.peerings {
            let (Some(local), Some(remote)) = (p.local.resolved, p.remote.resolved) else {
                continue;
            };
            let r = model.vnet(remote);
            // Only a VNet the code declares (not one it reads, or the inventory shows).
            // The VNet a literal id names may be another of that name (see `certain_link`).
            if local == remote
                || p.deployed
                || r.existing
                || r.deployed
                || !certain_link(model, &p.remote)
            {
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
            // A peering whose other end is not known, or names this VNet but did not link,
            // may be the reverse one.
            let could_be = |r: &crate::ir::VnetRef, v: &crate::ir::Vnet| match r.target.known() {
                None => true,
                Some(key) => {
                    v.name
                        .known()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&key.name))
                        && v.resource_group
                            .known()
                            .is_some_and(|g| g.eq_ignore_ascii_case(&key.resource_group))
                }
            };
            let (lv, rv) = (model.vnet(local), r);
            let maybe = model.peerings.iter().any(|q| {
                (q.local.resolved == Some(remote)
                    && q.remote.resolved.is_none()
                    && could_be(&q.remote, lv))
                    || (q.local.resolved.is_none()
                        && q.remote.resolved == Some(local)
                        && could_be(&q.local, rv))
            });
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
