import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The public surface, name by name: every subpath the package exports and what each one
// exports (values and types). Growing it is a reviewed change: add the name here on purpose.
// The store, feature functions and HTTP internals are on none of them.
const surface: Record<string, string[]> = {
  ".": [
    "Aal",
    "Access",
    "AccessReset",
    "AccountLock",
    "AccountMail",
    "AccountMailKind",
    "AccountTokenPurpose",
    "ActiveSession",
    "AdminActor",
    "AdminApi",
    "AdminUser",
    "Amr",
    "ApiRoute",
    "AppFactorAmr",
    "AppFactorAttempt",
    "AppFactorPairing",
    "AppFactorSent",
    "AppFactorSetup",
    "AppFactorVerdict",
    "AppSecondFactor",
    "AppLanguages",
    "ClientInfo",
    "Clock",
    "ConfigError",
    "CookieCarrier",
    "Credential",
    "ErrorCode",
    "EventsQuery",
    "KeyPlacement",
    "Keyward",
    "KeywardConfig",
    "KeywardConfigInput",
    "KeywardError",
    "KeywardEvent",
    "KeywardEventMap",
    "KeywardEventType",
    "KeywardOptions",
    "LockDecision",
    "MailMessage",
    "Mailer",
    "PublicUser",
    "RefusedSignIn",
    "RequireMiddleware",
    "Requirement",
    "Session",
    "SessionLimit",
    "SessionSummary",
    "SignInContext",
    "SignInMethod",
    "SignInPolicy",
    "SignInStage",
    "SmsSender",
    "StoredEvent",
    "Usage",
    "User",
    "WebauthnUtil",
    "WebauthnUtilClass",
    "consoleMailer",
    "consoleSmsSender",
    "createKeyward",
    "loadConfig",
  ],
  "./node": ["toNodeHandler"],
  "./fastify": ["KeywardPluginOptions", "keywardPlugin", "keywardRequire"],
  "./testing": [
    "AuthenticationOverrides",
    "AuthenticatorError",
    "AuthenticatorErrorName",
    "AuthenticatorTransportFuture",
    "CeremonyOverrides",
    "HeldCredential",
    "ManualClock",
    "RegistrationOverrides",
    "ResolvedSoftwareAuthenticatorOptions",
    "SoftwareAlgorithm",
    "SoftwareAuthenticator",
    "SoftwareAuthenticatorOptions",
  ],
  "./browser": [
    "CodeSignInStart",
    "ClientErrorCode",
    "KeyInfo",
    "KeywardClient",
    "KeywardClientError",
    "KeywardClientOptions",
    "RegisterInput",
    "SessionInfo",
    "SignInResult",
    "Support",
    "UserInfo",
    "cancel",
    "checkResponse",
    "configure",
    "reauthenticate",
    "register",
    "secondFactor",
    "sendSignInCode",
    "signIn",
    "signInWithAutofill",
    "signInWithCode",
    "signOut",
    "support",
    "verify",
  ],
  "./import": [
    "FlaskSecurityTables",
    "ImportFile",
    "ImportFileInput",
    "ImportOptions",
    "ImportReport",
    "ImportedKey",
    "ImportedPasswordOptions",
    "ImportedUser",
    "ImportedUserReport",
    "NormalForm",
    "readBetterAuth",
    "readFlaskSecurity",
  ],
  "./pages": [
    "AccountKey",
    "AppFactorChoice",
    "AccountProps",
    "Layout",
    "LayoutProps",
    "LoginProps",
    "MessageKey",
    "Messages",
    "PageBase",
    "PageName",
    "PageProps",
    "PageRenderer",
    "PageRenderers",
    "PagesOptions",
    "RecoveryCodesProps",
    "RegisterPasskeyProps",
    "RegisterProps",
    "SafeHtml",
    "SecondFactorCodeProps",
    "SecondFactorProps",
    "SetupCodeProps",
    "TotpSetupProps",
    "VerifyProps",
    "alerts",
    "amrInWords",
    "defaultMessages",
    "defaultPages",
    "formState",
    "html",
    "jsonScript",
    "layout",
    "raw",
  ],
};

const root = join(import.meta.dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; import: string }>;
  bin: Record<string, string>;
};

/** The source file a subpath is built from: ./dist/x/index.d.ts ← src/x/index.ts. */
function sourceOf(subpath: string): string {
  const entry = manifest.exports[subpath];
  if (typeof entry !== "object") throw new Error(`${subpath} has no types entry`);
  return join(root, entry.types.replace(/^\.\/dist\//, "src/").replace(/\.d\.ts$/, ".ts"));
}

/** Every name each module exports, types included, as TypeScript resolves the re-exports. */
function compile(files: string[]) {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const exportsOf = (file: string) => {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (!symbol) throw new Error(`${file} is not a module`);
    return checker.getExportsOfModule(symbol);
  };
  return { checker, exportsOf };
}

describe("public surface", () => {
  const subpaths = Object.keys(surface);
  const files = subpaths.map(sourceOf);
  const { checker, exportsOf } = compile(files);

  it("exports exactly the reviewed subpaths (and package.json), each with its types", () => {
    expect(Object.keys(manifest.exports).sort()).toEqual([...subpaths, "./package.json"].sort());
    for (const subpath of subpaths) {
      expect(manifest.exports[subpath], subpath).toEqual({
        types: expect.stringMatching(/^\.\/dist\/.+\.d\.ts$/),
        import: expect.stringMatching(/^\.\/dist\/.+\.js$/),
      });
    }
    expect(manifest.bin).toEqual({ keyward: "./bin/keyward.js" });
  });

  it("exports from each subpath exactly the reviewed names", () => {
    const actual = Object.fromEntries(
      subpaths.map((subpath, i) => [
        subpath,
        exportsOf(files[i]!)
          .map((symbol) => symbol.name)
          .sort(),
      ]),
    );
    const reviewed = Object.fromEntries(
      Object.entries(surface).map(([subpath, names]) => [subpath, [...names].sort()]),
    );
    expect(actual).toEqual(reviewed);
  });

  it("keeps the store internal: the instance is config, fetch, events, require, api and close", () => {
    const keyward = exportsOf(sourceOf(".")).find((symbol) => symbol.name === "Keyward")!;
    const instance = checker.getDeclaredTypeOfSymbol(keyward);
    const members = checker.getPropertiesOfType(instance).map((property) => property.name);
    expect(members.sort()).toEqual(["api", "close", "config", "events", "fetch", "require"]);
  });
});
