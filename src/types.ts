// SPDX-License-Identifier: LGPL-2.1-or-later
// The helper's JSON, as doc/helper-json.md describes it. Optional there means optional here:
// the page must render whatever subset a (possibly older or newer) helper sends.

export type Family = "inet" | "inet6";

export interface Address {
    family: Family;
    address: string;
    prefix: number;
    network?: string;
    /** "global", "link", "host", … */
    scope?: string;
    /** The kernel's "dynamic" flag: the address has a lease / finite lifetime. */
    dynamic?: boolean;
}

export type GatewaySource = "static" | "dhcp";
export type GatewayState = "active" | "missing" | "drift" | "no-address" | "link-down" | "no-interface" | "unreachable" | "conflict";

export interface Gateway {
    family: Family;
    address: string;
    source?: GatewaySource;
    state?: GatewayState;
    table?: number;
    onlink?: boolean;
    /** Why the gateway is not active, when the helper knows. */
    reason?: string;
}

export interface Interface {
    name: string;
    index?: number;
    /** operstate in lower case: up, down, unknown, lowerlayerdown, … */
    state?: string;
    mac?: string;
    kind?: string;
    /** True when the main table's default route leaves here. */
    default_route?: boolean;
    addresses?: Address[];
    gateways?: Gateway[];
}

export interface DefaultRoute {
    family: Family;
    gateway?: string;
    dev?: string;
    metric?: number;
}

export type TableKind = "local" | "main" | "default" | "ours" | "foreign";

export interface RoutingTable {
    id: number;
    name?: string;
    owned?: boolean;
    kind?: TableKind;
    routes?: Partial<Record<Family, number>>;
}

/** Every selector the kernel reported: from, to, iif, oif, fwmark, tos, ipproto, sport, dport,
 * uidrange, not, … Values are whatever the helper passes on. */
export type RuleSelector = Record<string, string | number | boolean | null>;

/** Who made a route or rule and how to delete it (doc/helper-json.md, "Owned, and how to delete it"). */
export interface Ownership {
    /** Who made it (doc/helper-json.md, "Owners") and the clue, one English phrase. */
    owner?: string;
    owner_why?: string;
    /** Made through cockpit-gateways: a gateway's object, or a fix made here (kept or not). */
    owned?: boolean;
    /** The helper arguments that delete exactly this object; null or absent: it cannot be. */
    delete?: string[] | null;
    /** A gateway's object: the networks whose source routing it is part of. */
    networks?: { interface: string; family: Family }[];
}

export interface Rule extends Ownership {
    family: Family;
    priority: number;
    table?: number;
    table_name?: string;
    /** "lookup", "goto" (table is then the target priority), "blackhole", "unreachable", … */
    action?: string;
    selector?: RuleSelector;
    /** The rule's protocol (number or name), when the kernel reports one. */
    protocol?: number | string;
}

/** Another tool's objects in the way of ours (doc/helper-json.md, "Conflicts"). */
export interface Conflict {
    /** priority | shadowed | overlap | range | networkd (or what a newer helper finds) */
    kind: string;
    /** One readable paragraph with the fix. */
    message: string;
}

export interface Drift {
    missing?: string[];
    extra?: string[];
}

/** status' `pending`: a change being tested; the gateways it changes (before: confirmed). */
export interface Pending {
    /** Unix time (seconds) of the rollback. */
    deadline?: number;
    /** The change's name (the `pending_id` its apply printed). */
    id?: string;
    gateways?: { interface: string; family: Family; before: string | null; after: string | null }[];
}

/** `routers IFACE --json`: the interface's networks and the routers likely on them. */
export interface Routers {
    interface?: string;
    networks?: { family: Family; network: string; address: string }[];
    routers?: RouterCandidate[];
}

export interface RouterCandidate {
    family: Family;
    address: string;
    /** neighbour | router (IPv6 router flag) | dhcp | main (a main-table route's gateway) */
    sources: string[];
    /** Outside every subnet: needs `set --onlink`. */
    onlink: boolean;
}

export interface Status {
    version?: number;
    interfaces?: Interface[];
    default_routes?: DefaultRoute[];
    tables?: RoutingTable[];
    rules?: Rule[];
    drift?: Drift;
    warnings?: string[];
    /** A change applied with --confirm-within that is waiting for its confirmation. */
    pending?: Pending;
    conflicts?: Conflict[];
    /** Where our rules and tables sit (`layout`): the range our gateway tables come from. */
    layout?: { tables?: { min: number; max: number } };
}

/** One change of a plan (set/unset/reconcile with --dry-run, or after a change). */
export interface PlanChange {
    /** add, del, replace (or what a newer helper does) */
    op: string;
    /** route, rule (or what a newer helper changes) */
    object: string;
    family?: Family;
    table?: number;
    /** The table's name, also for a table the change creates. */
    table_name?: string;
    /** The exact `ip -batch` line. */
    text: string;
    /** The same object by name (doc/helper-json.md, "Plans"); absent from older helpers. */
    fields?: ChangeFields;
}

/** A planned route's or rule's values; a key is absent when the object has no such value. */
export interface ChangeFields {
    dst?: string;
    /** Routes: blackhole, unreachable, … (absent: unicast). */
    type?: string;
    gateway?: string;
    dev?: string;
    /** lookup: the table; goto: the priority it goes to. */
    table?: number;
    metric?: number;
    priority?: number;
    /** lookup, goto, blackhole, unreachable, prohibit, nop */
    action?: string;
    suppress_prefixlength?: number;
    protocol?: number;
    /** Every other value: prefsrc, scope, onlink, from, to, iif, oif, fwmark, not, … */
    [key: string]: string | number | boolean | undefined | object;
}

export interface PlanFile {
    path: string;
    action: string;
}

export interface Plan {
    changed?: boolean;
    dry_run?: boolean;
    changes?: PlanChange[];
    files?: PlanFile[];
    /** Only after a change with --confirm-within. */
    token?: string;
    /** With a token: the name `status` gives this pending change. */
    pending_id?: string;
    /** Dry runs: established TCP connections whose path the change would move or cut. */
    connections?: PlanConnection[];
    /** Dry runs: conflicts the change would create. */
    conflicts?: Conflict[];
    /** `table-name`: the names given or removed. */
    names?: { op: string; id: number; name: string; text: string }[];
}

/** A connection's path before or after a planned change. */
export interface PathState {
    code: string;
    dropped: boolean;
    table?: number | null;
    nexthops: LookupHop[];
    text?: string;
}

export interface PlanConnection {
    family: Family;
    local: string;
    local_port: number;
    remote: string;
    remote_port: number;
    /** Held by cockpit-ws or cockpit-tls: the web console's own connection. */
    cockpit: boolean;
    before: PathState;
    after: PathState;
    incoming?: { interface: string; before: PathState; after: PathState };
    text?: string;
}

/** One next hop of a multipath route. */
export interface Nexthop {
    gateway?: string;
    dev?: string;
    weight?: number;
    flags?: string[];
}

/** A route as `routes TABLE --json` gives it: every field but type, flags and text is optional. */
export interface Route extends Ownership {
    type?: string;
    dst?: string;
    gateway?: string;
    dev?: string;
    protocol?: string | number;
    scope?: string | number;
    prefsrc?: string;
    metric?: number;
    pref?: string;
    flags?: string[];
    nexthops?: Nexthop[];
    /** The kernel's nexthop object id, when the route uses one. */
    nhid?: number;
    /** ip's own line for the route. */
    text?: string;
}

/** A window of one table's routes, filtered and sorted on the host. */
export interface RoutesWindow {
    table?: number;
    name?: string;
    offset?: number;
    limit?: number;
    filter?: string;
    sort?: string | null;
    reverse?: boolean;
    owner?: string;
    /** Routes in the table; null when more follow and the helper did not read them all. */
    total?: number | null;
    /** Routes that pass the filter; null like total. */
    matched?: number | null;
    routes?: Route[];
}

export interface LookupQuery {
    to: string;
    from?: string;
    iif?: string;
    oif?: string;
    fwmark?: string;
}

/** A next hop in the lookup's own evaluation (multipath: several candidates). */
export interface LookupHop {
    dev?: string | null;
    gateway?: string | null;
}

/** One rule the evaluation considered, in order (doc/helper-json.md, `trace`). */
export interface LookupStep {
    priority: number;
    /** The full rule, as `ip rule` writes it. */
    rule: string;
    matched?: boolean;
    /** mismatch, inverted, goto, goto-unresolved, nop, refused, suppressed-prefixlength,
     * suppressed-ifgroup, answers, no-answer, refused-by-route, unknown */
    reason?: string;
    selector?: string;
    target?: number;
    action?: string;
    prefixlen?: number;
    dev?: string;
    group?: number;
    type?: string | null;
    table?: number;
    table_name?: string;
    route?: string;
    /** English, for the command line. */
    why?: string;
}

export interface LookupEvaluation {
    errno?: number;
    errno_name?: string | null;
    type?: string | null;
    table?: number | null;
    table_name?: string | null;
    route?: string | null;
    nexthops?: LookupHop[];
    dev?: string | null;
    rule?: string | null;
    priority?: number | null;
}

export interface RpFilterCheck {
    interface: string;
    /** off, strict or loose: max(all, interface) of rp_filter */
    mode: string;
    sysctls?: Record<string, number>;
    ok: boolean;
    code?: string;
    reply?: {
        rule?: string | null; priority?: number | null; table?: number | null; table_name?: string | null;
        route?: string | null; nexthops?: LookupHop[]; mark?: number;
    };
}

/** What would make the packet pass: `set IFACE GATEWAY` (kind "set"), or look at the reply's rules. */
export interface LookupFix {
    kind: string;
    interface: string;
    family?: Family;
    command?: string;
    text?: string;
}

export interface KernelAnswer {
    command?: string;
    errno: number;
    errno_name?: string | null;
    error?: string;
    route?: { table?: number | null; type?: string; dev?: string | null; gateway?: string | null; prefsrc?: string | null };
}

/** `lookup TO --json`: the kernel's answer, explained, beside our own evaluation. */
export interface LookupResult {
    query?: Record<string, string | number>;
    route?: Record<string, unknown> | null;
    table?: number | null;
    table_name?: string | null;
    rule?: { priority?: number; selectors?: [string, string][]; table?: number; owned?: boolean; text?: string } | null;
    matched_route?: Route | null;
    explanation?: string;
    verdict?: { code: string; text: string };
    evaluation?: LookupEvaluation;
    trace?: LookupStep[];
    rp_filter?: RpFilterCheck;
    forwarding?: { sysctl: string; value: number; all?: number };
    fix?: LookupFix;
    kernel?: KernelAnswer;
    agree?: boolean;
    disagreement?: string[];
}

/** `reach IFACE CLIENT --json`: a client's request in and the reply out, one verdict. */
export interface ReachResult {
    interface: string;
    client: string;
    address: string;
    request: LookupResult;
    reply: LookupResult;
    verdict: { code: string; text: string };
    fix?: LookupFix;
    agree?: boolean;
}

/** `export --format F [--include-dhcp] --json`: this host's gateways for a fleet tool. */
export type ExportFormat = "nmstate" | "ansible" | "netplan" | "ifcfg" | "networkd";

export interface ExportedGateway {
    interface: string;
    family: Family;
    gateway: string;
    source?: GatewaySource;
    table?: number;
    onlink?: boolean;
}

export interface ExportResult {
    format: ExportFormat;
    /** Where the files go on the target host ("" for nmstate and ansible). */
    directory?: string;
    /** The whole export; several files come one after the other, each after a `# FILE: name` line. */
    text: string;
    files?: { name: string; text: string }[];
    networks?: ExportedGateway[];
    skipped?: (ExportedGateway & { reason?: string })[];
}

/** `service status|enable --json` (doc/helper-json.md). */
export interface ServiceInfo {
    name: "boot" | "watch";
    unit: string;
    description?: string;
    /** systemctl is-enabled: enabled, disabled, masked, not-found, …; unknown without systemd. */
    state?: string;
    enabled: boolean | null;
    active?: boolean | null;
}

export interface ServicesStatus {
    systemd: "running" | "offline" | "absent";
    message?: string;
    services: ServiceInfo[];
    changed?: boolean;
    dry_run?: boolean;
    commands?: string[];
}
