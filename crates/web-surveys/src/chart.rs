//! Horizontal bar charts as inline SVG: one bar per option, with the 95 % interval as a line
//! when there is one. The chart is an image with a text alternative; the same figures are in
//! the table beside it, which is what screen readers are pointed to.

use crate::escape;

pub struct Bar {
    pub label: String,
    /// 0 to 1.
    pub value: f64,
    pub interval: Option<(f64, f64)>,
    /// The figure written at the end of the bar ("48 %").
    pub text: String,
}

const ROW: f64 = 28.0;
const LABEL: f64 = 220.0;
const WIDTH: f64 = 640.0;

/// The chart; `title` is its accessible name, `table_id` the table holding its figures.
pub fn bars(bars: &[Bar], title: &str, table_id: &str) -> String {
    let plot = WIDTH - LABEL - 70.0;
    let height = ROW * bars.len() as f64 + 8.0;
    let mut s = format!(
        "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\" aria-labelledby=\"{table_id}-t\" aria-describedby=\"{table_id}\">\
         <title id=\"{table_id}-t\">{}</title>",
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let v = b.value.clamp(0.0, 1.0);
        let label: String = if b.label.chars().count() > 32 {
            format!("{}…", b.label.chars().take(31).collect::<String>())
        } else {
            b.label.clone()
        };
        s.push_str(&format!(
            "<text x=\"{x}\" y=\"{ty}\" text-anchor=\"end\" class=\"chart-label\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"{h}\" class=\"chart-bar\"/>",
            escape(&label),
            x = LABEL - 8.0,
            ty = y + ROW * 0.62,
            w = (plot * v).max(1.0),
            h = ROW - 8.0,
        ));
        if let Some((lo, hi)) = b.interval
            && lo.is_finite()
            && hi.is_finite()
        {
            let cy = y + (ROW - 8.0) / 2.0;
            s.push_str(&format!(
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{cy}\" y2=\"{cy}\" class=\"chart-ci\"/>",
                LABEL + plot * lo.clamp(0.0, 1.0),
                LABEL + plot * hi.clamp(0.0, 1.0)
            ));
        }
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{}\" class=\"chart-value\">{}</text>",
            LABEL + plot * v + 6.0,
            y + ROW * 0.62,
            escape(&b.text)
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scaled() {
        let svg = bars(
            &[
                Bar {
                    label: "<script>".into(),
                    value: 0.5,
                    interval: Some((0.4, 0.6)),
                    text: "50 %".into(),
                },
                Bar {
                    label: "Non".into(),
                    value: 2.0,
                    interval: None,
                    text: "100 %".into(),
                },
            ],
            "Aide & entraide",
            "t1",
        );
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("Aide &amp; entraide"));
        assert!(svg.contains("width=\"175.0\""), "{svg}");
        assert!(svg.contains("width=\"350.0\""), "clamped to 1");
        assert_eq!(svg.matches("chart-ci").count(), 1);
    }
}
