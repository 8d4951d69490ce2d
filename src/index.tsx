// SPDX-License-Identifier: LGPL-2.1-or-later
// Entry point: PatternFly's base CSS, our few styles, the theme, then the page.

import "@patternfly/react-core/dist/styles/base.css";
import "./index.css";

import { render } from "preact";
import { App } from "./app";
import { followCockpitTheme } from "./cockpit/theme";

// the language the page is shown in (po.js has set it), for screen readers, hyphenation and spelling
document.documentElement.lang = (cockpit.language || "en").replace("_", "-");
followCockpitTheme();
const root = document.getElementById("app");
if (root !== null)
    render(<App />, root);
