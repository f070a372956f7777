// Dashboard charts (ECharts, served locally). Each bar or slice opens the list of the records
// it counts: the container's data-link plus the segment's own filter.
document.addEventListener("DOMContentLoaded", function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  function chart(id, option, linkFor) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var c = echarts.init(el);
    c.setOption(option);
    c.on("click", function (p) {
      var tail = linkFor(p);
      if (tail !== null) window.location.href = el.dataset.link + tail;
    });
    window.addEventListener("resize", function () { c.resize(); });
  }
  var m = data.monthly;
  chart("chart-monthly", {
    tooltip: { trigger: "axis" },
    legend: { data: m.labels, top: 0 },
    grid: { left: 30, right: 10, bottom: 24, top: 30 },
    xAxis: { type: "category", data: m.months },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: m.labels[0], type: "bar", data: m.received },
      { name: m.labels[1], type: "line", data: m.concluded },
    ],
  }, function (p) { return p.seriesIndex === 0 ? p.name : null; });
  function pie(id, rows) {
    chart(id, {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["30%", "60%"], center: ["50%", "42%"], data: rows,
                 label: { show: false } }],
    }, function (p) { return p.data.link; });
  }
  pie("chart-sources", data.sources);
  pie("chart-categories", data.categories);
  chart("chart-stages", {
    tooltip: {},
    grid: { left: 30, right: 10, bottom: 30, top: 10 },
    xAxis: { type: "category", data: data.stages.map(function (s) { return s.name; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.stages.map(function (s) { return { value: s.value, link: s.link }; }) }],
  }, function (p) { return p.data.link; });
});
