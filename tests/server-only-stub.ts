// Tests import server-only modules directly; outside Next the guard has nothing to guard.
export {};
