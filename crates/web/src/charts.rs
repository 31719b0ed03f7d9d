//! Bar charts as inline SVG, drawn on the server: readable without JavaScript, and
//! printed as they are shown.

use crate::i18n::Tr;

/// Escapes text for SVG/HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars, one per `(label, value)`; values without a number (suppressed or
/// undefined) get a label and no bar. `percent`: values are shares shown as %; numbers
/// are written as `t`'s language writes them.
pub fn bars(t: Tr, title: &str, items: &[(String, Option<f64>)], percent: bool) -> String {
    const ROW: f64 = 26.0;
    // The label column fits the longest label (about 6.6 px per character at 12 px),
    // within bounds; the bar area stays 250 px so charts compare at a glance.
    let longest = items
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let label_w = (longest as f64 * 6.6 + 12.0).clamp(120.0, 360.0);
    let (label_x, w) = (label_w, label_w + 320.0);
    let max = items
        .iter()
        .filter_map(|(_, v)| *v)
        .fold(0.0f64, f64::max)
        .max(if percent { 1.0 } else { f64::MIN_POSITIVE });
    let h = ROW * items.len() as f64 + 8.0;
    let mut out = format!(
        r#"<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        out.push_str(&format!(
            r#"<text x="{x}" y="{ty}" text-anchor="end" font-size="12">{}</text>"#,
            esc(label),
            x = label_x - 6.0,
            ty = y + 15.0
        ));
        if let Some(v) = value.filter(|v| v.is_finite() && *v >= 0.0) {
            let width = ((w - label_x - 70.0) * v / max).max(1.0);
            let shown = if percent {
                t.percent(v)
            } else if v.fract() == 0.0 {
                t.decimal(v, 0)
            } else {
                t.decimal(v, 1)
            };
            out.push_str(&format!(
                r##"<rect x="{label_x}" y="{y}" width="{width:.1}" height="18" fill="#0b6e4f"><title>{}: {shown}</title></rect><text x="{tx:.1}" y="{ty}" font-size="12">{shown}</text>"##,
                esc(label),
                tx = label_x + width + 4.0,
                ty = y + 14.0
            ));
        } else {
            out.push_str(&format!(
                r##"<text x="{label_x}" y="{ty}" font-size="12" fill="#5b6475">–</text>"##,
                ty = y + 14.0
            ));
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_escape_and_skip_missing_values() {
        let en = Tr { lang: "en" };
        let svg = bars(
            en,
            "a <b>",
            &[
                ("coached".into(), Some(0.5)),
                ("<script>".into(), Some(0.25)),
                ("hidden".into(), None),
            ],
            true,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
        assert!(svg.contains("50.0%") && svg.contains("25.0%"));
        assert_eq!(svg.matches("<rect").count(), 2);
        // Shares are drawn against 100%: half the bar length for 50%.
        assert!(svg.contains(r#"width="125.0""#), "{svg}");
        // A long label widens the label column instead of being cut off on the left.
        let long = "hoger onderwijs van het lange type".to_string();
        let wide = bars(en, "t", &[(long.clone(), Some(0.1))], true);
        let label_w = long.chars().count() as f64 * 6.6 + 12.0;
        assert!(
            wide.contains(&format!(r#"<text x="{}""#, label_w - 6.0)),
            "{wide}"
        );
        assert!(wide.contains(&format!(r#"width="{}""#, label_w + 320.0)));
        // In French a share has a decimal comma and a space before the sign.
        let fr = bars(Tr { lang: "fr" }, "t", &[("x".into(), Some(0.0909))], true);
        assert!(fr.contains("9,1\u{a0}%"), "{fr}");
    }
}
