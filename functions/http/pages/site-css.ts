/**
 * The one stylesheet of all pages, served from `/assets/site.css` so that the CSP needs no
 * 'unsafe-inline'. Colours meet WCAG AA contrast; focus is always visible; the layout is a single
 * column that works from 320 px up (long words and code wrap rather than push the page sideways).
 */
export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",Meiryo,sans-serif;line-height:1.7;color:#1b1b1b;background:#f7f7f5}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
header.site{background:#1f3a5f;color:#fff;padding:.75rem 1rem}
header.site a{color:#fff}
h1{font-size:1.5rem;line-height:1.3;margin:1rem 0}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
a{color:#0b4f9c}
.card{background:#fff;border:1px solid #c9c9c4;border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0}
fieldset{border:0;margin:0;padding:0}
legend{font-weight:700;margin-bottom:.5rem}
label{display:block}
.check{display:flex;gap:.6rem;align-items:flex-start;padding:.4rem 0}
.check input{width:1.25rem;height:1.25rem;margin-top:.25rem;flex:none}
.state{font-size:.875rem;color:#4a4a4a}
input[type=text],input[type=email],select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #6b6b6b;border-radius:.25rem;background:#fff;color:#1b1b1b}
textarea{min-height:8rem}
.field{margin:0 0 1rem}
button{font:inherit;cursor:pointer;border-radius:.35rem;padding:.6rem 1.1rem;border:2px solid #1f3a5f;background:#1f3a5f;color:#fff;min-height:2.75rem}
button.secondary{background:#fff;color:#1f3a5f}
button.danger{background:#8b1a1a;border-color:#8b1a1a}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
:focus-visible{outline:3px solid #c25e00;outline-offset:2px}
.notice{border-left:4px solid #1b6e3a;background:#e8f4ec;padding:.75rem 1rem;margin:1rem 0}
.error{border-left:4px solid #8b1a1a;background:#fbeaea;padding:.75rem 1rem;margin:1rem 0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
footer{font-size:.875rem;color:#4a4a4a;margin-top:2rem}
nav.lang a{margin-right:.75rem}
main{overflow-wrap:break-word}
code{overflow-wrap:anywhere}
.typed{white-space:pre-wrap}
.error-summary{border:4px solid #8b1a1a;background:#fff;padding:1rem 1.25rem;margin:1rem 0}
.error-summary h2{margin-top:0}
.error-summary ul{margin:0;padding-left:1.25rem}
.error-summary a{color:#8b1a1a;font-weight:700}
.field-invalid{border-left:4px solid #8b1a1a;padding-left:.75rem}
.field-invalid input,.field-invalid select,.field-invalid textarea{border:2px solid #8b1a1a}
.field-message{color:#8b1a1a;font-weight:700;margin:.25rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;margin:0;padding:0;overflow:hidden;clip-path:inset(50%);border:0;white-space:nowrap}
.way-on h2{font-size:1rem}
.way-on ul,ul.fields{padding-left:1.25rem}
ul.fields li{margin:.4rem 0}
h3{font-size:1rem;margin:1rem 0 .25rem}
.docs section{border-top:1px solid #c9c9c4;margin-top:1.5rem}
@media (prefers-color-scheme:dark){body{background:#121212;color:#ececec}.card{background:#1e1e1e;border-color:#444}a{color:#8cc4ff}.state,footer{color:#c4c4c4}input[type=text],input[type=email],select,textarea{background:#1e1e1e;color:#ececec;border-color:#9a9a9a}.notice{background:#15301f;color:#ececec}.error{background:#3a1515;color:#ececec}button.secondary{background:#1e1e1e;color:#fff;border-color:#8cc4ff}.error-summary{background:#1e1e1e;border-color:#ff8a8a}.error-summary a,.field-message{color:#ff9a9a}.field-invalid{border-color:#ff8a8a}.field-invalid input,.field-invalid select,.field-invalid textarea{border-color:#ff8a8a}}
main.wide{max-width:72rem}
header.console{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
header.console nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
header.console a[aria-current=page]{font-weight:700;text-decoration-thickness:3px}
header.console form{margin-left:auto;display:flex;align-items:center;gap:.75rem}
header.console button{border-color:#fff;min-height:2.25rem;padding:.3rem .8rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1rem}
caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{border:1px solid #c9c9c4;padding:.4rem .6rem;text-align:left;vertical-align:top}
thead th{background:#e9ecef}
td.num,th.num{text-align:right}
.flag{display:inline-block;font-weight:700;padding:0 .4rem;border-radius:.25rem;border:2px solid currentColor}
.flag.overdue{color:#8b1a1a}
.flag.soon{color:#7a4100}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end}
.filters .field{margin:0}
.filters select{width:auto}
.inline{display:inline}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:700}
dl.facts dd{margin:0}
progress{width:100%;height:1.25rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #c9c9c4}
svg.chart .axis{stroke:#6b6b6b;stroke-width:1}
svg.chart .rate{fill:none;stroke:#0b4f9c;stroke-width:2}
svg.chart .limit{stroke:#8b1a1a;stroke-width:1.5;stroke-dasharray:6 4}
svg.chart text{font-size:11px;fill:#1b1b1b}
input[type=file]{font:inherit}
@media (prefers-color-scheme:dark){table{background:#1e1e1e}thead th{background:#2a2a2a}th,td{border-color:#444}.flag.overdue{color:#ff9a9a}.flag.soon{color:#ffc46b}svg.chart{background:#1e1e1e}svg.chart text{fill:#ececec}svg.chart .rate{stroke:#8cc4ff}svg.chart .limit{stroke:#ff8a8a}}
`;
