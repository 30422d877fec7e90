// The batch page's charts: one uPlot chart per measurement and unit of the batch's sensor record, from
// /api/batches/{code}/history (downsampled on the server). Stamped series are solid, zone-linked series dashed; a
// bucket without a good reading is null, so lines break at gaps and nothing is interpolated. Selecting a range on
// any chart loads finer data for that range into every chart; a double-click goes back to the whole record.
// When the first charts have drawn: performance.mark('charts-drawn'), and the section's data-drawn-ms and
// data-points attributes (what the browser tests and `./iot bench web` read).
(() => {
  "use strict";
  const section = document.getElementById("charts");
  if (!section || typeof uPlot === "undefined") return;
  const code = section.dataset.code;
  const en = section.dataset.lang === "en";
  const t = (zh, english) => (en ? english : zh);
  const status = section.querySelector(".chart-status");

  const measurementNames = {
    Temperature: ["温度", "Temperature"],
    RelativeHumidity: ["相对湿度", "Relative humidity"],
    Illuminance: ["光照", "Illuminance"],
    Pressure: ["气压", "Pressure"],
    VolumeFraction: ["土壤含水量", "Soil water content"],
    Volume: ["水量", "Volume"],
    VolumeFlowRate: ["流量", "Flow rate"],
    Mass: ["重量", "Mass"],
  };
  const unitNames = { CEL: "°C", P1: "%", LUX: "lx", KPA: "kPa", LTR: "L", MLT: "mL", MTQ: "m³", L2: "L/min", KGM: "kg", GRM: "g" };
  const colours = ["#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b", "#34495e", "#e84393"];

  const charts = [];
  let overview = null;

  // Every chart spans the record's window (or the range zoomed into), whatever the series hold, so the charts line up
  // and a series that starts late shows its missing start as missing.
  let shown = null;
  const span = (history) => { shown = [seconds(history.from), seconds(history.to)]; };

  const seconds = (iso) => Date.parse(iso) / 1000;
  const when = (s) => new Date(s * 1000).toISOString().slice(0, 16).replace("T", " ");

  function pointsWanted() {
    return Math.max(200, Math.min(2000, Math.round(section.clientWidth || 1000)));
  }

  // The whole record at the server's default resolution (the page preloads that address), or a range at the
  // chart's width.
  async function load(from, to) {
    let address = section.dataset.overview;
    if (from !== undefined) {
      const query = new URLSearchParams({ points: String(pointsWanted()) });
      query.set("from", new Date(from * 1000).toISOString());
      query.set("to", new Date(to * 1000).toISOString());
      address = `/api/batches/${encodeURIComponent(code)}/history?${query}`;
    }
    const response = await fetch(address);
    if (!response.ok) {
      let detail = "";
      try { detail = (await response.json()).detail || ""; } catch { /* not JSON */ }
      throw new Error(`${response.status} ${detail}`.trim());
    }
    return response.json();
  }

  // Groups the series by measurement and unit; per group, uPlot's aligned data: [times, series1, series2, ...].
  function groups(history) {
    const byKey = new Map();
    for (const s of history.series) {
      const key = `${s.measurement} ${s.unit}`;
      if (!byKey.has(key)) byKey.set(key, { measurement: s.measurement, unit: s.unit, series: [] });
      byKey.get(key).series.push(s);
    }
    return [...byKey.values()].map((g) => {
      const times = new Set();
      for (const s of g.series) {
        for (const p of s.points) times.add(seconds(p.time));
        // A gap's first bucket is a time too, so every line breaks there even when all series are silent.
        for (const gap of s.gaps) times.add(seconds(gap.from));
      }
      const xs = [...times].sort((a, b) => a - b);
      const index = new Map(xs.map((x, i) => [x, i]));
      // Each line is the bucket's mean; its min and max ride along for the legend (a mean alone would hide a frost).
      const ranges = g.series.map(() => new Array(xs.length).fill(null));
      const columns = g.series.map((s, i) => {
        const ys = new Array(xs.length).fill(null);
        for (const p of s.points) {
          const at = index.get(seconds(p.time));
          ys[at] = p.mean;
          ranges[i][at] = [p.min, p.max];
        }
        return ys;
      });
      return { ...g, data: [xs, ...columns], ranges };
    });
  }

  function label(s) {
    const link = s.link === "stamped" ? t("标记", "stamped") : t("区域", "zone");
    return `${s.gatewayZone}/${s.sensorId} (${link})`;
  }

  function title(g) {
    const names = measurementNames[g.measurement];
    return `${names ? t(names[0], names[1]) : g.measurement} (${unitNames[g.unit] || g.unit})`;
  }

  function gapList(g) {
    const items = [];
    for (const s of g.series) {
      for (const gap of s.gaps) items.push(`${label(s)}: ${when(seconds(gap.from))} – ${when(seconds(gap.to))}`);
    }
    return items;
  }

  function csvLink(s) {
    const query = new URLSearchParams({ measurement: s.measurement, unit: s.unit, gateway: s.gatewayId, zone: s.gatewayZone, sensor: s.sensorId });
    return `/api/batches/${encodeURIComponent(code)}/series.csv?${query}`;
  }

  function zoomTo(min, max) {
    status.textContent = t("正在读取更细的数据…", "Loading finer data…");
    load(min, max).then((history) => {
      update(history);
      status.textContent = `${t("间隔", "Interval")} ${history.intervalName} · ${when(min)} – ${when(max)}`;
    }).catch((e) => { status.textContent = `${t("读取失败", "Could not load")}: ${e.message}`; });
  }

  const chartOf = (plot) => charts.find((c) => c.plot === plot);

  function update(history) {
    span(history);
    const fresh = groups(history);
    for (const chart of charts) {
      const g = fresh.find((f) => f.measurement === chart.group.measurement && f.unit === chart.group.unit);
      chart.ranges = g ? chart.group.series.map((s) => {
        const i = g.series.findIndex((f) => f.gatewayId === s.gatewayId && f.gatewayZone === s.gatewayZone && f.sensorId === s.sensorId);
        return i < 0 ? [] : g.ranges[i];
      }) : [];
      const data = g ? [g.data[0], ...chart.group.series.map((s) => {
        const i = g.series.findIndex((f) => f.gatewayId === s.gatewayId && f.gatewayZone === s.gatewayZone && f.sensorId === s.sensorId);
        return i < 0 ? new Array(g.data[0].length).fill(null) : g.data[i + 1];
      })] : [[], ...chart.group.series.map(() => [])];
      chart.plot.setData(data, true);
    }
  }

  function draw(history) {
    span(history);
    section.querySelectorAll(".chart").forEach((e) => e.remove());
    charts.length = 0;
    let points = 0;
    const all = groups(history);
    if (all.length === 0) {
      status.textContent = t("没有传感器记录。", "No sensor record.");
    } else {
      status.textContent = `${t("全程", "Whole record")} · ${t("间隔", "interval")} ${history.intervalName} · ${when(seconds(history.from))} – ${when(seconds(history.to))}`;
    }
    for (const g of all) {
      const figure = document.createElement("figure");
      figure.className = "chart";
      figure.dataset.measurement = g.measurement;
      figure.dataset.unit = g.unit;
      section.appendChild(figure);
      const width = Math.max(320, section.clientWidth - 8);
      const plot = new uPlot({
        title: title(g),
        width,
        height: 240,
        scales: { x: { time: true, range: (u, min, max) => shown ?? [min, max] } },
        axes: [{}, { size: 64 }],
        cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: `batch-${code}` } },
        series: [
          { label: t("时间", "Time"), value: (u, v) => (v == null ? "" : when(v)) },
          ...g.series.map((s, i) => ({
            label: label(s),
            stroke: colours[i % colours.length],
            width: 1.5,
            dash: s.link === "stamped" ? undefined : [6, 4],
            spanGaps: false,
            value: (u, v, seriesIndex, dataIndex) => {
              if (v == null) return "—";
              const range = dataIndex == null ? null : chartOf(u)?.ranges?.[i]?.[dataIndex];
              return range ? `${v.toFixed(2)} (${range[0].toFixed(2)}–${range[1].toFixed(2)})` : v.toFixed(2);
            },
          })),
        ],
        hooks: {
          // The x range each chart shows, on its figure (what the browser tests compare).
          setScale: [(u, key) => {
            if (key === "x") {
              figure.dataset.xMin = String(Math.round(u.scales.x.min));
              figure.dataset.xMax = String(Math.round(u.scales.x.max));
            }
          }],
          setSelect: [(u) => {
            if (u.select.width < 4) return;
            const min = u.posToVal(u.select.left, "x");
            const max = u.posToVal(u.select.left + u.select.width, "x");
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoomTo(Math.floor(min), Math.ceil(max));
          }],
        },
      }, g.data, figure);
      plot.over.addEventListener("dblclick", () => {
        if (overview) {
          update(overview);
          status.textContent = `${t("全程", "Whole record")} · ${t("间隔", "interval")} ${overview.intervalName}`;
        }
      });
      charts.push({ group: g, plot, ranges: g.ranges });
      for (const column of g.data.slice(1)) points += column.filter((v) => v !== null).length;

      const notes = document.createElement("figcaption");
      const gaps = gapList(g);
      const gapText = document.createElement("details");
      gapText.className = "gaps";
      gapText.innerHTML = "";
      const summary = document.createElement("summary");
      summary.textContent = gaps.length === 0 ? t("无缺口", "No gaps") : `${t("缺口", "Gaps")}: ${gaps.length}`;
      gapText.appendChild(summary);
      const list = document.createElement("ul");
      for (const item of gaps.slice(0, 50)) {
        const li = document.createElement("li");
        li.textContent = item;
        list.appendChild(li);
      }
      gapText.appendChild(list);
      notes.appendChild(gapText);
      const downloads = document.createElement("p");
      downloads.className = "downloads";
      downloads.append(`${t("原始数据 CSV", "Raw CSV")}: `);
      for (const s of g.series) {
        const a = document.createElement("a");
        a.href = csvLink(s);
        a.textContent = label(s);
        downloads.append(a, " ");
      }
      notes.appendChild(downloads);
      figure.appendChild(notes);
    }
    section.dataset.points = String(points);
    section.dataset.series = String(history.series.length);
    section.dataset.drawnMs = String(Math.round(performance.now()));
    performance.mark("charts-drawn");
  }

  load().then((history) => {
    overview = history;
    draw(history);
  }).catch((e) => {
    status.textContent = `${t("读取失败", "Could not load")}: ${e.message}`;
    section.dataset.error = e.message;
  });
})();
