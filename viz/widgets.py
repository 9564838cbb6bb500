"""Widgets the page needs that work on Solara's Vue 3 front end: a picture that reports where it
was clicked, a download button, and a mark that scrolls the page to itself.

All are ipyvue templates with no child widgets: in the installed front end a template cannot
show child widgets (``<jupyter-widget>`` stays an unknown element, which is also why
``solara.FileDownload`` shows no button there). Pictures travel as binary, not base64, and
nothing is loaded from the internet.
"""

from __future__ import annotations

from collections.abc import Callable

import ipyvuetify as v
import solara
import traitlets

CLICK_IMAGE = """
<template>
  <img ref="img" :style="img_style" :alt="alt" style="cursor: crosshair; display: block"
       @click="pick" />
</template>
<script>
module.exports = {
  mounted() { this.show(); },
  watch: {
    value() { this.show(); },
    seq() {
      // a new picture number with an unchanged picture: confirm on the next frame, unless a
      // new picture is still loading (then its onload confirms)
      requestAnimationFrame(() => { if (!this.loading) { this.drawn = this.seq; } });
    },
  },
  methods: {
    show() {
      const img = this.$refs.img;
      const old = img.src;
      this.loading = true;
      img.onload = img.onerror = () => {
        if (old && old.startsWith("blob:")) { URL.revokeObjectURL(old); }
        this.loading = false;
        this.drawn = this.seq;
      };
      img.src = URL.createObjectURL(new Blob([this.value], { type: "image/" + this.format }));
    },
    pick(event) {
      const box = this.$refs.img.getBoundingClientRect();
      if (!box.width || !box.height) { return; }
      this.clicked = {
        x: (event.clientX - box.left) / box.width,
        y: (event.clientY - box.top) / box.height,
        n: ((this.clicked && this.clicked.n) || 0) + 1,
      };
    },
  },
};
</script>
"""


class ClickImage(v.VuetifyTemplate):
    """A picture (``value``: encoded bytes of ``format``) and ``clicked``: ``{"x", "y", "n"}`` of
    the last click on it (``x``, ``y`` in 0..1 from its top left, whatever size the browser
    shows it at; ``n`` counts clicks, so a second click on the same spot is a change too).

    Once the browser has decoded a new picture (or, when only ``seq`` changed, on its next
    frame) it sets ``drawn`` to ``seq``: the page's confirmation that paces Play end to end.
    """

    template = traitlets.Unicode(CLICK_IMAGE).tag(sync=True)
    value = traitlets.Bytes(b"").tag(sync=True)
    format = traitlets.Unicode("png").tag(sync=True)
    img_style = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    seq = traitlets.Int(0).tag(sync=True)
    drawn = traitlets.Int(0).tag(sync=True)
    clicked = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)


DOWNLOAD = """
<template>
  <button class="viz-download" @click="request = request + 1"
    style="border: 1px solid #1976d2; color: #1976d2; border-radius: 4px; padding: 2px 10px;
           font-size: 0.85em; background: white; cursor: pointer">&#8615; {{ label }}</button>
</template>
<script>
module.exports = {
  watch: {
    payload(data) {
      if (!data || !data.byteLength) { return; }
      const link = document.createElement("a");
      link.download = this.filename;
      link.href = URL.createObjectURL(new Blob([data], { type: this.mime_type }));
      document.body.appendChild(link);
      link.click();
      document.body.removeChild(link);
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      this.delivered = this.delivered + 1;
    },
  },
};
</script>
"""


class DownloadWidget(v.VuetifyTemplate):
    """A button: a click raises ``request``; ``payload`` set in answer is saved by the browser
    as ``filename``, which then raises ``delivered``."""

    template = traitlets.Unicode(DOWNLOAD).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    filename = traitlets.Unicode("download").tag(sync=True)
    mime_type = traitlets.Unicode("application/octet-stream").tag(sync=True)
    payload = traitlets.Bytes(b"").tag(sync=True)
    request = traitlets.Int(0).tag(sync=True)
    delivered = traitlets.Int(0).tag(sync=True)


@solara.component
def Download(label: str, filename: str, data: Callable[[], bytes], mime_type: str):
    """A button that saves ``data()`` (made when clicked) as ``filename``."""
    payload, set_payload = solara.use_state(b"")
    DownloadWidget.element(
        label=label,
        filename=filename,
        mime_type=mime_type,
        payload=payload,
        on_request=lambda _: set_payload(data()),
        on_delivered=lambda _: set_payload(b""),
    )


SCROLL_HERE = """
<template>
  <div class="viz-scroll-here"></div>
</template>
<script>
module.exports = {
  mounted() {
    // once the new content has been laid out, scroll so it starts under the page's top bar
    this.$nextTick(() => requestAnimationFrame(() =>
      this.$el.scrollIntoView({ behavior: "smooth", block: "start" })));
  },
};
</script>
"""


class ScrollHere(v.VuetifyTemplate):
    """An empty mark that scrolls the page to itself when it appears: put it first in what a
    button opens below the fold (the comparison, a worksheet), so pressing the button shows it
    (the CSS class ``viz-scroll-here`` sets how far below the top bar it stops)."""

    template = traitlets.Unicode(SCROLL_HERE).tag(sync=True)
