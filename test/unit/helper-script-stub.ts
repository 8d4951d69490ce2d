// SPDX-License-Identifier: LGPL-2.1-or-later
// Stands in for the embedded helper ("helper:script") in unit tests; the real one is tested elsewhere.

export default "# cockpit-gateways helper (test stub)\n";
