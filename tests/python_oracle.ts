/**
 * CPython as a test oracle: what `repr(eval(expr, NS))` prints for a batch of
 * calculator expressions, with NS the namespace the calculator implements.
 *
 * One `python3` process answers a whole batch: the expressions go in as JSON
 * on stdin and the replies come back as a JSON array on stdout, because
 * starting an interpreter per expression would dominate the run time.
 *
 * @module
 */

/**
 * Python source that builds `NS`, the calculator's namespace: the builtins
 * `abs bool divmod float int max min pow round`, `True`, `False`, the module
 * `math`, and every public name of `math` bound bare, except that bare `pow`
 * stays the builtin; and `reply(expr)`, CPython's answer in the calculator's
 * words: `repr` of the value, or `ERR <class>: <message>`.
 */
export const PYTHON_NAMESPACE_SOURCE = `
import math
NS = {
    "__builtins__": {},
    **{n: getattr(math, n) for n in dir(math) if not n.startswith("_")},
    "abs": abs, "bool": bool, "divmod": divmod, "float": float, "int": int,
    "max": max, "min": min, "pow": pow, "round": round,
    "True": True, "False": False, "math": math,
}
def reply(expr, ns=NS):
    try:
        return repr(eval(expr, ns))
    except Exception as error:
        return "ERR " + type(error).__name__ + ": " + str(error)
`;

// Warnings such as "'int' object is not subscriptable; perhaps you missed a
// comma?" go to stderr and would only add noise: the reply is what matters.
// The second evaluation wraps every subexpression in a call that notes
// whether a complex number went by, because the calculator refuses complex
// numbers where they appear, even when CPython goes on to fail for another
// reason or drops them.
const REPLY_SCRIPT = `
import ast, json, sys, warnings
warnings.simplefilter("ignore")
${PYTHON_NAMESPACE_SOURCE}

class Watch(ast.NodeTransformer):
    def visit(self, node):
        node = self.generic_visit(node)
        if isinstance(node, ast.expr) and not isinstance(node, ast.Starred):
            return ast.Call(ast.Name("_watch", ast.Load()), [node], [])
        return node

def made_complex(expr):
    seen = []
    def watch(value):
        if isinstance(value, complex):
            seen.append(value)
        return value
    try:
        tree = ast.fix_missing_locations(Watch().visit(ast.parse(expr, mode="eval")))
        eval(compile(tree, "<string>", "eval"), {**NS, "_watch": watch})
    except Exception:
        pass
    return len(seen) > 0

# A fresh namespace for each expression: \`x := 1\` in one must not define x
# for the ones after it.
json.dump(
    [[reply(e, dict(NS)), made_complex(e)] for e in json.load(sys.stdin)],
    sys.stdout,
)
`;

const REQUIRED_VERSION = "Python 3.11.";

let pythonFound: boolean | undefined;

/**
 * Whether a `python3` of version 3.11, the version the calculator mirrors,
 * runs on this machine. The answer is looked up once and remembered.
 */
export function hasPython(): boolean {
  pythonFound ??= findPython();
  return pythonFound;
}

function findPython(): boolean {
  try {
    const { success, stdout } = new Deno.Command("python3", {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return success && new TextDecoder().decode(stdout).startsWith(
      REQUIRED_VERSION,
    );
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Runs `script` in one `python3` process, writing `input` as JSON to its stdin
 * and parsing its stdout as JSON.
 *
 * @param script Python source that reads JSON from stdin and writes JSON.
 * @param input Any JSON-serialisable value.
 * @returns The parsed JSON the script printed.
 */
export async function runPythonJson(
  script: string,
  input: unknown,
): Promise<unknown> {
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();

  // The script reads all of stdin before it writes anything, so writing the
  // whole input first cannot deadlock on a full stdout pipe.
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const { success, code, stdout, stderr } = await child.output();

  const decoder = new TextDecoder();
  if (!success) {
    throw new Error(
      `python3 failed with exit code ${code}: ${decoder.decode(stderr)}`,
    );
  }
  return JSON.parse(decoder.decode(stdout));
}

/** What CPython made of one expression. */
export interface PythonAnswer {
  /** `repr(eval(expr, NS))`, or `ERR <ExceptionName>: <str(exception)>`. */
  readonly reply: string;
  /** Whether a complex number appeared anywhere during the evaluation. */
  readonly madeComplex: boolean;
}

function isAnswer(item: unknown): item is [string, boolean] {
  return Array.isArray(item) && item.length === 2 &&
    typeof item[0] === "string" && typeof item[1] === "boolean";
}

/** CPython's answer to each expression, in order; see {@linkcode PythonAnswer}. */
export async function pythonAnswers(exprs: string[]): Promise<PythonAnswer[]> {
  const answers = await runPythonJson(REPLY_SCRIPT, exprs);
  if (
    !Array.isArray(answers) || answers.length !== exprs.length ||
    !answers.every(isAnswer)
  ) {
    throw new Error("python3 did not answer once per expression");
  }
  return answers.map(([reply, madeComplex]) => ({ reply, madeComplex }));
}

/**
 * CPython's reply to each expression, in order: `repr(eval(expr, NS))`, or
 * `ERR <ExceptionName>: <str(exception)>` when evaluating raises.
 *
 * @example
 * ```ts ignore
 * await pythonReplies(["1/2", "1/0"]);
 * // ["0.5", "ERR ZeroDivisionError: division by zero"]
 * ```
 */
export async function pythonReplies(exprs: string[]): Promise<string[]> {
  return (await pythonAnswers(exprs)).map((answer) => answer.reply);
}

// Names called as functions and modules read for an attribute are left out:
// they are parts of a call, not values worth comparing on their own.
const SUBEXPRESSIONS_SCRIPT = `
import ast, json, sys

def parts(source):
    tree = ast.parse(source, mode="eval")
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            skip.add(id(node.func))
        elif isinstance(node, ast.Attribute):
            skip.add(id(node.value))
    found = {ast.get_source_segment(source, node) for node in ast.walk(tree)
             if isinstance(node, ast.expr) and id(node) not in skip}
    return sorted(found - {None}, key=lambda text: (len(text), text))

json.dump(parts(json.load(sys.stdin)), sys.stdout)
`;

/**
 * The source text of every subexpression of `expr` that is a value (not a
 * called name or a module), shortest first, as CPython's parser splits it.
 * Used to cut a failing expression down to the part that fails.
 */
export async function pythonSubexpressions(expr: string): Promise<string[]> {
  const parts = await runPythonJson(SUBEXPRESSIONS_SCRIPT, expr);
  if (!Array.isArray(parts) || !parts.every((p) => typeof p === "string")) {
    throw new Error("python3 did not answer a list of subexpressions");
  }
  return parts;
}
