//! Bar charts as inline SVG, drawn on the server: readable without JavaScript, and
//! printed as they are shown.

/// Escapes text for SVG/HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars, one per `(label, value)`; values without a number (suppressed or
/// undefined) get a label and no bar. `percent`: values are shares shown as %.
pub fn bars(title: &str, items: &[(String, Option<f64>)], percent: bool) -> String {
    const W: f64 = 520.0;
    const LABEL: f64 = 200.0;
    const ROW: f64 = 26.0;
    let max = items
        .iter()
        .filter_map(|(_, v)| *v)
        .fold(0.0f64, f64::max)
        .max(if percent { 1.0 } else { f64::MIN_POSITIVE });
    let h = ROW * items.len() as f64 + 8.0;
    let mut out = format!(
        r#"<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {W} {h}" width="{W}" height="{h}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        out.push_str(&format!(
            r#"<text x="{x}" y="{ty}" text-anchor="end" font-size="12">{}</text>"#,
            esc(label),
            x = LABEL - 6.0,
            ty = y + 15.0
        ));
        if let Some(v) = value.filter(|v| v.is_finite() && *v >= 0.0) {
            let width = ((W - LABEL - 70.0) * v / max).max(1.0);
            let shown = if percent {
                format!("{:.1}%", v * 100.0)
            } else {
                format!("{v:.1}")
            };
            out.push_str(&format!(
                r##"<rect x="{LABEL}" y="{y}" width="{width:.1}" height="18" fill="#0b6e4f"><title>{}: {shown}</title></rect><text x="{tx:.1}" y="{ty}" font-size="12">{shown}</text>"##,
                esc(label),
                tx = LABEL + width + 4.0,
                ty = y + 14.0
            ));
        } else {
            out.push_str(&format!(
                r##"<text x="{LABEL}" y="{ty}" font-size="12" fill="#5b6475">–</text>"##,
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
        let svg = bars(
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
    }
}
