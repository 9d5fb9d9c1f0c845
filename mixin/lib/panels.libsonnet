// Grafana panel builders: every panel uses the datasource variable, states its unit, colours
// good and bad, and ends its description with a link to the doc section that explains it.
local ds = { type: 'prometheus', uid: '${datasource}' };
{
  // A query; `opts` adds instant/table fields.
  q(expr, legend='', ref='A', opts={}):: { refId: ref, datasource: ds, expr: expr, legendFormat: legend } + opts,
  instant:: { instant: true, range: false },
  tableFmt:: { instant: true, range: false, format: 'table' },

  // Green below `warn`, then yellow, red from `crit` (null: that step is skipped).
  steps(warn=null, crit=1):: { mode: 'absolute', steps: [{ color: 'green', value: null }]
                                                      + (if warn == null then [] else [{ color: 'yellow', value: warn }])
                                                      + (if crit == null then [] else [{ color: 'red', value: crit }]) },
  // For 1/0 gauges: red below 1.
  upSteps:: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: 1 }] },
  // 1 is good (green "yes"), 0 is bad (red "NO"), no sample is "unknown" (grey).
  upMappings:: [{ type: 'value', options: { '0': { text: 'NO', color: 'red', index: 0 }, '1': { text: 'yes', color: 'green', index: 1 } } },
                { type: 'special', options: { match: 'null', result: { text: 'unknown', color: 'text', index: 2 } } }],

  base(type, title, description, doc, targets, w, h, c):: {
    type: type,
    title: title,
    description: description + '\n\nDocs: [' + doc + '](' + c.docsBaseURL + doc + ')',
    datasource: ds,
    gridPos: { h: h, w: w },
    targets: targets,
    fieldConfig: { defaults: {}, overrides: [] },
    options: {},
  },

  row(title):: { type: 'row', title: title, collapsed: false, panels: [], gridPos: { h: 1, w: 24 } },

  stat(c, title, description, doc, expr, unit='none', thresholds=$.steps(), mappings=[], w=6, h=5)::
    $.base('stat', title, description, doc, [$.q(expr, '', 'A', $.instant)], w, h, c) {
      fieldConfig: { defaults: { unit: unit, thresholds: thresholds, mappings: mappings, color: { mode: 'thresholds' } }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'value' },
    },

  // One unit for the whole panel (one axis); `color` fixes the colour of a series that is bad news.
  ts(c, title, description, doc, targets, unit, color=null, w=12, h=8)::
    $.base('timeseries', title, description, doc, targets, w, h, c) {
      fieldConfig: {
        defaults: { unit: unit } + (if color == null then {} else { color: { mode: 'fixed', fixedColor: color } }),
        overrides: [],
      },
      options: { legend: { displayMode: 'table', placement: 'right', showLegend: true, calcs: ['max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    },

  // `columns`: field name -> header; `colored`: header -> [thresholds, mappings, unit] for good/bad cell colours.
  table(c, title, description, doc, targets, columns, colored={}, w=12, h=8)::
    $.base('table', title, description, doc, targets, w, h, c) {
      fieldConfig: {
        defaults: {},
        overrides: [
          {
            matcher: { id: 'byName', options: name },
            properties: [
              { id: 'custom.cellOptions', value: { type: 'color-background' } },
              { id: 'thresholds', value: colored[name][0] },
              { id: 'mappings', value: colored[name][1] },
              { id: 'unit', value: colored[name][2] },
            ],
          }
          for name in std.objectFields(colored)
        ],
      },
      options: { showHeader: true },
      transformations: (if std.length(targets) > 1 then [{ id: 'merge', options: {} }] else [])
                       + [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: columns } }],
    },

  // Places strips of panels (a row, or an array of panels side by side) top to bottom and numbers them.
  layout(strips)::
    local step(acc, strip) =
      local items = if std.isArray(strip) then strip else [strip];
      local h = std.foldl(function(m, p) std.max(m, p.gridPos.h), items, 0);
      local placed = std.foldl(function(a, p) { x: a.x + p.gridPos.w, ps: a.ps + [p { gridPos+: { x: a.x, y: acc.y } }] },
                               items, { x: 0, ps: [] }).ps;
      { y: acc.y + h, panels: acc.panels + placed };
    local out = std.foldl(step, strips, { y: 0, panels: [] }).panels;
    [out[i] { id: i + 1 } for i in std.range(0, std.length(out) - 1)],
}
