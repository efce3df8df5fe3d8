import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { roleFromClaims, usernameFromClaims } from "@/lib/auth/oidc";

describe("OIDC claim → role", () => {
  it("takes the configured claim, a string or the first known role in an array", () => {
    assert.equal(roleFromClaims({ governor_role: "operator" }, "governor_role"), "operator");
    assert.equal(roleFromClaims({ groups: ["staff", "auditor", "admin"] }, "groups"), "auditor");
  });
  it("fails closed on unknown values, and uses the default only when the claim is absent", () => {
    assert.equal(roleFromClaims({ governor_role: "superuser" }, "governor_role", "viewer"), null);
    assert.equal(roleFromClaims({ groups: ["staff"] }, "groups", "viewer"), null);
    assert.equal(roleFromClaims({}, "governor_role", "viewer"), "viewer");
    assert.equal(roleFromClaims({}, "governor_role"), null);
    assert.equal(roleFromClaims({}, "governor_role", "root"), null);
  });
  it("derives a username from the usual claims", () => {
    assert.equal(usernameFromClaims({ preferred_username: "Ada.Lovelace", email: "x@y" }), "ada.lovelace");
    assert.equal(usernameFromClaims({ email: "Grace Hopper@navy.mil" }), "grace-hopper-navy.mil");
  });
});
