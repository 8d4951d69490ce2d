// SPDX-License-Identifier: LGPL-2.1-or-later
// build.js provides the helper (src/helper/bundle.py's output) as a string module.

declare module "helper:script" {
    const script: string;
    export default script;
}
