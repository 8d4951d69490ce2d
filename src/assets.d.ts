// SPDX-License-Identifier: LGPL-2.1-or-later
// Stylesheets are imported for their side effect; esbuild collects them into index.css.

declare module "*.css";
