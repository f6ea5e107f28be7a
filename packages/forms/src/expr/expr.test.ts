import { describe, expect, it } from "vitest";
import {
  evaluate,
  evaluateBoolean,
  ExpressionError,
  parseExpression,
  SUPPORTED_FUNCTIONS,
  toStr,
  type EvalContext,
} from "./index.ts";

/** A context over flat values, with `items` as a repeat-like multi-valued field. */
function ctx(
  values: Record<string, unknown>,
  self?: unknown,
  extra: Partial<EvalContext> = {},
): EvalContext {
  return {
    ref: (name) => {
      const v = values[name];
      if (name === "items" || name === "prices") return v as unknown[];
      return v === undefined ? [] : [v];
    },
    self: () => (self === undefined ? [] : [self]),
    position: () => 3,
    now: () => new Date(2026, 10, 25, 14, 30, 0),
    choiceLabel: (q, v) => (q === "colour" && v === "r" ? "Red" : undefined),
    ...extra,
  };
}

const answers = {
  age: 42,
  empty: "",
  name: "Dana Levi",
  colour: "r",
  many: ["a", "c"],
  zero: 0,
  decimal: 2.5,
  born: "1990-05-17",
  items: [{}, {}, {}],
  prices: [10, 2.5, "", 7],
  text_num: "12",
};

const run = (src: string, self?: unknown) =>
  toStr(evaluate(parseExpression(src), ctx(answers, self)));

describe("expressions", () => {
  it.each([
    // literals and arithmetic
    ["1 + 2 * 3", "7"],
    ["(1 + 2) * 3", "9"],
    ["10 div 4", "2.5"],
    ["10 mod 4", "2"],
    ["-7 mod 3", "-1"],
    ["1 div 0", "Infinity"],
    ["0 div 0", "NaN"],
    ["- 2 - -3", "1"],
    ["7 - 2 - 1", "4"],
    ["'a' + 1", "NaN"],
    ["0.1 + 0.2 = 0.3", "false"],
    [".5 * 2", "1"],
    // references and coercions
    ["${age} + 1", "43"],
    ["${age} = 42", "true"],
    ["${age} = '42'", "true"],
    ["${age} > 40 and ${age} < 50", "true"],
    ["${text_num} > 9", "true"], // numeric, not string, comparison
    ["${empty} = ''", "true"],
    ["${empty} = 0", "false"], // empty is NaN, not 0
    ["${empty} + 1", "NaN"],
    ["${missing} = ''", "false"], // an absent node-set equals nothing
    ["string(${missing}) = ''", "true"],
    ["${zero}", "0"],
    ["boolean(${zero})", "true"], // a node holding "0" is a non-empty string
    ["boolean(0)", "false"],
    ["boolean('')", "false"],
    ["${decimal} * 2", "5"],
    ["${many}", "a c"],
    ["1 = true()", "true"],
    ["'' = false()", "true"],
    // logic
    ["true() and not(false())", "true"],
    ["false() or ${age} = 42", "true"],
    ["if(${age} > 18, 'adult', 'minor')", "adult"],
    ["if(${empty} = '', 'none', ${empty})", "none"],
    ["coalesce(${empty}, 'fallback')", "fallback"],
    ["coalesce(${name}, 'fallback')", "Dana Levi"],
    // selects
    ["selected(${many}, 'c')", "true"],
    ["selected(${many}, 'b')", "false"],
    ["selected (${many}, 'a')", "true"], // a space before ( is legal XPath
    ["count-selected(${many})", "2"],
    ["selected-at(${many}, 1)", "c"],
    ["selected-at(${many}, 5)", ""],
    ["jr:choice-name(${colour}, '${colour}')", "Red"],
    ["jr:choice-name('x', '${colour}')", "x"],
    // strings
    ["concat('a', ${age}, 'b')", "a42b"],
    ["concat(${items})", ""],
    ["string-length('שלום')", "4"],
    ["string-length('👍🏽')", "2"],
    ["substr('abcdef', 2)", "cdef"],
    ["substr('abcdef', 1, 3)", "bc"],
    ["substr('abc', 5)", ""],
    ["contains(${name}, 'Levi')", "true"],
    ["starts-with(${name}, 'Dana')", "true"],
    ["ends-with(${name}, 'Levi')", "true"],
    ["substring-before('a-b', '-')", "a"],
    ["substring-after('a-b', '-')", "b"],
    ["normalize-space('  a   b ')", "a b"],
    ["translate('abc', 'ab', 'AB')", "ABc"],
    ["regex('050-1234567', '^0\\d{1,2}-?\\d{7}$')", "true"],
    ["regex('abc', '^\\d+$')", "false"],
    ["regex('x@y.org', '[a-z]+@[a-z]+\\.[a-z]{2,4}')", "true"],
    ["string(12.50)", "12.5"],
    ["string(1 div 3) = '0.3333333333333333'", "true"],
    ["string(1000000000000000000000)", "1000000000000000000000"],
    ["join('-', ${prices})", "10-2.5--7"],
    ["join(', ', ${many})", "a c"], // one node holding a selection
    // numbers
    ["int(3.9)", "3"],
    ["int(-3.9)", "-3"],
    ["number('12.5')", "12.5"],
    ["number(' 7 ')", "7"],
    ["number('1e3')", "NaN"],
    ["number('abc')", "NaN"],
    ["round(2.5)", "3"],
    ["round(-2.5)", "-2"],
    ["round(1.005, 2)", "1.01"],
    ["round(-1.005, 2)", "-1.01"],
    ["round(1234.5678, -2)", "1200"],
    ["round(15 div (sqrt(cos(atan(20 div 100)))), 2)", "15.15"],
    ["pow(2, 10)", "1024"],
    ["abs(-3) + floor(2.7) + ceiling(2.1)", "8"],
    ["max(3, 9, 4)", "9"],
    ["min(${prices})", "NaN"], // an empty value makes min NaN, as in ODK
    // repeats
    ["count(${items})", "3"],
    ["sum(${prices})", "NaN"],
    ["sum(${prices}) = sum(${prices})", "false"],
    ["count-non-empty(${prices})", "3"],
    ["position(..)", "3"],
    ["${prices} = 7", "true"], // a node-set equals when any node does
    ["${prices} > 9", "true"],
    // dates: days since 1970-01-01
    ["date('1970-01-02') + 0", "1"],
    ["today()", "2026-11-25"],
    ["today() - date('2026-11-20')", "5"],
    ["date(today() + 7)", "2026-12-02"],
    ["date('2026-02-30')", ""],
    ["${born} < today()", "true"],
    ["int((today() - date(${born})) div 365.25)", "36"],
    ["date(${born}) = '1990-05-17'", "true"],
    ["format-date(date('2026-03-05'), '%d/%m/%Y %e %n %b %a')", "05/03/2026 5 3 Mar Thu"],
    ["format-date-time(now(), '%H:%M')", "14:30"],
    ["decimal-date-time('1970-01-03')", "2"],
    [
      "boolean-from-string('true') and boolean-from-string('1') and not(boolean-from-string('yes'))",
      "true",
    ],
  ])("%s → %s", (src, expected) => {
    expect(run(src)).toBe(expected);
  });

  it("evaluates constraints against the current value (.)", () => {
    expect(toStr(evaluate(parseExpression(". >= 18 and . <= 120"), ctx(answers, 30)))).toBe("true");
    expect(evaluateBoolean(parseExpression(". >= 18"), ctx(answers, 12))).toBe(false);
    expect(
      evaluateBoolean(
        parseExpression("not(selected(., 'a') and selected(., 'c'))"),
        ctx(answers, ["a", "c"]),
      ),
    ).toBe(false);
    expect(evaluateBoolean(parseExpression("string-length(.) <= 3"), ctx(answers, "abcd"))).toBe(
      false,
    );
  });

  it("once() keeps an existing value and computes an empty one", () => {
    expect(run("once(concat('id-', ${age}))", "kept")).toBe("kept");
    expect(run("once(concat('id-', ${age}))")).toBe("id-42");
  });

  it("now() is a date-time in local time with its offset", () => {
    expect(run("now()")).toMatch(/^2026-11-25T14:30:00\.000[+-]\d{2}:\d{2}$/);
  });

  it("reads choice columns through bare names in choice filters", () => {
    const parsed = parseExpression("${state} = cf and name != 'x'", { allowFields: true });
    expect(parsed.fields).toEqual(["cf", "name"]);
    const c = ctx({ state: "texas" }, undefined, { field: (n) => (n === "cf" ? "texas" : "king") });
    expect(evaluateBoolean(parsed, c)).toBe(true);
  });

  it("indexed-repeat reads one instance", () => {
    const c = ctx({}, undefined, {
      ref: (name, pins) => (name === "tag" && pins?.get("trees") === 1 ? ["T2"] : []),
    });
    expect(toStr(evaluate(parseExpression("indexed-repeat(${tag}, ${trees}, 2)"), c))).toBe("T2");
  });

  it("records references, functions and the use of .", () => {
    const p = parseExpression("if(selected(${a}, 'x'), ${b} + count(${rep}), .)");
    expect(p.refs).toEqual(["a", "b", "rep"]);
    expect(p.functions).toEqual(expect.arrayContaining(["if", "selected", "count"]));
    expect(p.usesSelf).toBe(true);
    expect(parseExpression("jr:choice-name(${q}, '${q}')").refs).toEqual(["q"]);
  });

  it("caches parses by source text", () => {
    expect(parseExpression("${a} + 1")).toBe(parseExpression("${a} + 1"));
  });

  const failure = (src: string, options = {}) => {
    try {
      parseExpression(src, options);
    } catch (e) {
      if (e instanceof ExpressionError) return { code: e.code, params: e.params };
      throw e;
    }
    throw new Error(`parsed: ${src}`);
  };

  it.each([
    ["pulldata('x', 'y', 'z', 'w')", "unsupported_function", { functions: "pulldata" }],
    [
      "digest(${a}, 'SHA1') + area(${b}) + digest(${c}, 'MD5')",
      "unsupported_function",
      { functions: "digest, area" },
    ],
    ["instance('list')/root/item", "unsupported_function", { functions: "instance" }],
    ["/data/age > 3", "unsupported_syntax", {}],
    ["../age", "unsupported_syntax", {}],
    ["${a}[1]", "unsupported_syntax", {}],
    ["${a} | ${b}", "unsupported_syntax", {}],
    ["age > 3", "unsupported_syntax", {}],
    ["position(${a})", "unsupported_syntax", {}],
    ["$x", "unsupported_syntax", {}],
    ["${a} +", "syntax_error", {}],
    ["(1 + 2", "syntax_error", {}],
    ["'unclosed", "syntax_error", {}],
    ["${a", "syntax_error", {}],
    ["1 2", "syntax_error", {}],
    ["a # b", "syntax_error", {}],
    ["if(1, 2)", "wrong_arity", { function: "if", count: 2 }],
    ["today(1)", "wrong_arity", { function: "today", count: 1 }],
    ["   ", "empty_expression", {}],
    ["toString()", "unsupported_function", { functions: "toString" }],
  ])("refuses %s (%s)", (src, code, params) => {
    const f = failure(src);
    expect(f.code).toBe(code);
    expect(f.params).toMatchObject(params);
  });

  it("reports an invalid regular expression when evaluated", () => {
    expect(() => run("regex('a', '(')")).toThrow(ExpressionError);
  });

  it("lists its functions", () => {
    expect(SUPPORTED_FUNCTIONS).toEqual(
      expect.arrayContaining([
        "selected",
        "jr:choice-name",
        "once",
        "indexed-repeat",
        "format-date",
      ]),
    );
  });
});
