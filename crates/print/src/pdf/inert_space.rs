//! Whether a face's space glyph is out of reach of every lookup, so that
//! a line may be shaped word by word ([`super::words`]). Read once per
//! face when the bundled fonts are loaded.

use ttf_parser::GlyphId;
use ttf_parser::gpos::{PairAdjustment, PositioningSubtable};
use ttf_parser::gsub::SubstitutionSubtable;
use ttf_parser::opentype_layout::{ChainedContextLookup, ContextLookup, Coverage, LayoutTable};

/// Whether no lookup of `face` can take in its space glyph, so that a
/// line shapes as its words do: the space is in no substitution or
/// positioning coverage, no ligature has it as a component, no pair
/// moves it or the glyph before it, and no context rule can see it.
/// Context rules by glyph or class sequence, legacy `kern` and Apple
/// tables are not looked into: a face with them counts as not inert.
pub(crate) fn space_is_inert(face: &ttf_parser::Face<'_>) -> bool {
    let Some(space) = face.glyph_index(' ') else {
        return false;
    };
    let tables = face.tables();
    if tables.kern.is_some() || tables.kerx.is_some() || tables.morx.is_some() {
        return false;
    }
    let gsub_inert = tables.gsub.is_none_or(|gsub| {
        every_subtable(&gsub, |subtable: SubstitutionSubtable<'_>| {
            !subtable.coverage().contains(space)
                && match subtable {
                    SubstitutionSubtable::Ligature(ligatures) => {
                        ligatures.ligature_sets.into_iter().all(|set| {
                            set.into_iter().all(|ligature| {
                                !ligature.components.into_iter().any(|g| g == space)
                            })
                        })
                    }
                    SubstitutionSubtable::Context(context) => context_inert(&context, space),
                    SubstitutionSubtable::ChainContext(chained) => chained_inert(&chained, space),
                    SubstitutionSubtable::ReverseChainSingle(reverse) => {
                        none_contains(reverse.backtrack_coverages, space)
                            && none_contains(reverse.lookahead_coverages, space)
                    }
                    _ => true,
                }
        })
    });
    let gpos_inert = tables.gpos.is_none_or(|gpos| {
        every_subtable(&gpos, |subtable: PositioningSubtable<'_>| {
            !subtable.coverage().contains(space)
                && match subtable {
                    PositioningSubtable::Pair(pairs) => pairs_inert(&pairs, space),
                    PositioningSubtable::MarkToBase(marks) => !marks.base_coverage.contains(space),
                    PositioningSubtable::MarkToLigature(marks) => {
                        !marks.ligature_coverage.contains(space)
                    }
                    PositioningSubtable::MarkToMark(marks) => !marks.mark2_coverage.contains(space),
                    PositioningSubtable::Context(context) => context_inert(&context, space),
                    PositioningSubtable::ChainContext(chained) => chained_inert(&chained, space),
                    _ => true,
                }
        })
    });
    gsub_inert && gpos_inert
}

fn every_subtable<'a, T: ttf_parser::opentype_layout::LookupSubtable<'a>>(
    table: &LayoutTable<'a>,
    inert: impl Fn(T) -> bool,
) -> bool {
    table.lookups.into_iter().all(|lookup| {
        // A subtable that does not parse is skipped by the shaper too, but
        // count it as unknown.
        (0..lookup.subtables.len()).all(|i| lookup.subtables.get::<T>(i).is_some_and(&inert))
    })
}

fn none_contains<'a>(coverages: impl IntoIterator<Item = Coverage<'a>>, glyph: GlyphId) -> bool {
    coverages
        .into_iter()
        .all(|coverage| !coverage.contains(glyph))
}

fn context_inert(context: &ContextLookup<'_>, space: GlyphId) -> bool {
    match context {
        ContextLookup::Format3 { coverages, .. } => none_contains(*coverages, space),
        _ => false,
    }
}

fn chained_inert(chained: &ChainedContextLookup<'_>, space: GlyphId) -> bool {
    match chained {
        ChainedContextLookup::Format3 {
            backtrack_coverages,
            input_coverages,
            lookahead_coverages,
            ..
        } => {
            none_contains(*backtrack_coverages, space)
                && none_contains(*input_coverages, space)
                && none_contains(*lookahead_coverages, space)
        }
        _ => false,
    }
}

/// No pair adjusts anything when the space comes second (pairs with the
/// space first are ruled out by the coverage).
fn pairs_inert(pairs: &PairAdjustment<'_>, space: GlyphId) -> bool {
    let zero = |(first, second): (
        ttf_parser::gpos::ValueRecord<'_>,
        ttf_parser::gpos::ValueRecord<'_>,
    )| {
        [first, second].iter().all(|value| {
            value.x_placement == 0
                && value.y_placement == 0
                && value.x_advance == 0
                && value.y_advance == 0
                && value.x_placement_device.is_none()
                && value.y_placement_device.is_none()
                && value.x_advance_device.is_none()
                && value.y_advance_device.is_none()
        })
    };
    match pairs {
        PairAdjustment::Format1 { sets, .. } => (0..sets.len())
            .filter_map(|i| sets.get(i))
            .all(|set| set.get(space).is_none_or(zero)),
        PairAdjustment::Format2 {
            classes, matrix, ..
        } => {
            let second = classes.1.get(space);
            (0..=u16::MAX)
                .map_while(|first| matrix.get((first, second)))
                .all(zero)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::{self, Face};

    #[test]
    fn the_bundled_faces_space_is_inert() {
        for face in Face::ALL {
            let loaded = fonts::load(face).expect("bundled face parses");
            assert!(space_is_inert(&loaded.shaper), "{}", face.name());
        }
    }
}
