// The network page (打伞破网): draws the graph the page embeds (#network-data) with
// Cytoscape.js (served locally), colours nodes by role, rings public officials, shows the
// details of a clicked node, re-centres on a double-clicked one, and exports a PNG.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("network");
  var dataEl = document.getElementById("network-data");
  if (!box || !dataEl || !window.cytoscape) return;
  var elements = JSON.parse(dataEl.textContent);
  var shapes = {
    person: "ellipse", named: "ellipse", organization: "round-rectangle",
    vehicle: "diamond", phone: "diamond", clue: "tag", case: "hexagon",
  };
  var cy = cytoscape({
    container: box,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": "data(color)", label: "data(label)", "font-size": 10,
        "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis",
        "text-max-width": 120, width: 22, height: 22,
        shape: function (n) { return shapes[n.data("kind")] || "ellipse"; },
      } },
      { selector: "node[kind = 'case'], node[kind = 'clue']", style: { width: 28, height: 22 } },
      { selector: "node[?official]", style: {
        "border-width": 5, "border-style": "double", "border-color": "#f1c40f",
        "font-weight": "bold",
      } },
      { selector: "node[?center]", style: { width: 34, height: 34, "font-size": 12, "font-weight": "bold" } },
      { selector: "edge", style: {
        width: 1.5, "line-color": "#b2babb", "curve-style": "bezier", label: "data(label)",
        "font-size": 8, color: "#7b7d7d", "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.8,
      } },
      { selector: "edge[kind = 'tie']", style: { "line-color": "#17a589", "line-style": "dashed" } },
      { selector: "edge[kind = 'protects']", style: { "line-color": "#4a235a", width: 3 } },
      { selector: "edge[kind = 'suspect']", style: { "line-color": "#c0392b" } },
      { selector: "edge[kind = 'official']", style: { "line-color": "#8e44ad", width: 2 } },
      { selector: ".faded", style: { opacity: 0.2 } },
      { selector: ":selected", style: { "overlay-color": "#2471a3", "overlay-opacity": 0.2 } },
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: 9000, idealEdgeLength: 70, randomize: false },
  });

  var panel = document.getElementById("network-selected");
  function show(n) {
    var d = n.data();
    var body = panel.querySelector(".card-body");
    body.textContent = "";
    var title = document.createElement("strong");
    title.textContent = d.label;
    body.appendChild(title);
    body.appendChild(document.createTextNode(" · " + d.kindLabel + " · " + d.roleLabel + (d.note ? " · " + d.note : "")));
    [[d.detail, panel.dataset.details || "详情"], [d.network, panel.dataset.center || "以此为中心"]].forEach(function (pair) {
      if (!pair[0]) return;
      var a = document.createElement("a");
      a.href = pair[0];
      a.className = "ms-2";
      a.textContent = pair[1];
      body.appendChild(a);
    });
    panel.classList.remove("d-none");
    cy.elements().addClass("faded");
    n.closedNeighborhood().removeClass("faded");
  }
  cy.on("tap", "node", function (e) { show(e.target); });
  cy.on("tap", function (e) { if (e.target === cy) cy.elements().removeClass("faded"); });
  cy.on("dbltap", "node", function (e) {
    var url = e.target.data("network");
    if (url) window.location.href = url;
  });

  // Hovering a path in the list highlights it in the drawing.
  document.querySelectorAll("[data-testid=network-paths] li[data-path]").forEach(function (li) {
    var ids = JSON.parse(li.dataset.path);
    li.addEventListener("mouseenter", function () {
      cy.elements().addClass("faded");
      ids.forEach(function (id, i) {
        cy.getElementById(id).removeClass("faded");
        if (i > 0) cy.getElementById(ids[i - 1]).edgesWith(cy.getElementById(id)).removeClass("faded");
      });
    });
    li.addEventListener("mouseleave", function () { cy.elements().removeClass("faded"); });
  });

  var png = document.getElementById("network-png");
  if (png) {
    png.addEventListener("click", function () {
      var a = document.createElement("a");
      a.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
      a.download = png.dataset.filename || "network.png";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  }
});
