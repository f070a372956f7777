// A target's path since its start (ECharts, served locally): the value on each day read, the
// goal as a dashed line, the deadline and the projected day marked on the axis. Each point
// opens the list of the records it counts on that day.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("chart-path");
  if (!el || !window.echarts) return;
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  var unit = d.rate ? "%" : "";
  var marks = [{ xAxis: d.deadline, label: { formatter: el.dataset.deadline }, lineStyle: { color: "#dc3545" } }];
  if (d.projected) marks.push({ xAxis: d.projected, label: { formatter: el.dataset.projected }, lineStyle: { color: "#fd7e14" } });
  var c = echarts.init(el);
  c.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + unit; } },
    legend: { data: d.labels, top: 0 },
    grid: { left: 40, right: 20, bottom: 30, top: 30 },
    xAxis: { type: "time", max: function (v) { var far = Date.parse(d.projected || d.deadline); return Math.max(v.max, far, Date.parse(d.deadline)) + 86400000 * 3; } },
    yAxis: { type: "value", minInterval: d.rate ? 0 : 1, min: 0, max: d.rate ? 100 : null, axisLabel: { formatter: "{value}" + unit } },
    series: [
      { name: d.labels[0], type: "line", data: d.days.map(function (day, i) { return [day, d.values[i]]; }),
        markLine: { symbol: "none", data: marks } },
      { name: d.labels[1], type: "line", symbol: "none", lineStyle: { type: "dashed" },
        data: [[d.days[0], d.goal], [d.projected && d.projected > d.deadline ? d.projected : d.deadline, d.goal]] },
    ],
  });
  c.on("click", function (p) {
    if (p.seriesIndex === 0 && d.links[p.dataIndex]) window.location.href = d.links[p.dataIndex];
  });
  window.addEventListener("resize", function () { c.resize(); });
});
