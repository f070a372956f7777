// Oil-field view (ECharts, served locally): each oil case or clue as a point, by date and
// place, coloured by its series; a point opens its page.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("chart-oil");
  var data = JSON.parse(document.getElementById("oil-data").textContent);
  if (!el || !window.echarts || !data.series.length) return;
  var groups = {};
  data.series.forEach(function (p) {
    (groups[p.name] = groups[p.name] || []).push({ value: p.value, label: p.label, url: p.url });
  });
  var c = echarts.init(el);
  c.setOption({
    tooltip: { formatter: function (p) { return p.data.label + "<br>" + p.value[0] + " · " + p.value[1]; } },
    legend: { type: "scroll", top: 0 },
    grid: { left: 120, right: 20, bottom: 30, top: 36 },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: data.places },
    series: Object.keys(groups).map(function (name) {
      return { name: name, type: "scatter", data: groups[name],
               symbolSize: function (v) { return 8 + Math.min(20, Math.sqrt(v[2] || 0) * 2); } };
    }),
  });
  c.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
  window.addEventListener("resize", function () { c.resize(); });
});
