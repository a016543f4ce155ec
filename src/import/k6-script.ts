// What a k6 function does, read from its syntax tree without running it: the http.* calls in order
// (URLs and bodies from literals, template strings, consts and JSON.stringify), check() on their
// status, sleep(), and `Math.random() < p` branches as weighted alternatives. Anything else (custom
// logic, loops, helpers) is reported at its line and left out: a static reading cannot guess it.

import type { JsNode, ParsedScript } from './k6-parse.js';
import type { SourceRemark } from './types.js';

/** A value the reading could not know: a call result, a parameter, arithmetic on unknowns. */
export class Unknown {
  constructor(readonly node: JsNode) {}
}
/** `__ENV.NAME` (or `__ENV.NAME || 'fallback'`): `${NAME}` / `${NAME:-fallback}` in the profile */
export class EnvRef {
  constructor(
    readonly name: string,
    readonly fallback?: string,
  ) {}
}
/** `data.token` in the default function: a value returned by setup() */
export class SetupRef {
  constructor(readonly path: string[]) {}
}
/** what `http.get(...)` returns: the request(s) it stands for (several for a random URL) */
export class ResponseRef {
  constructor(readonly requests: RequestAction[]) {}
}
/** `res.json('token')`: a value a later request (or setup's return) takes from the response */
export class Captured {
  name?: string;
  constructor(
    readonly requests: RequestAction[],
    readonly capture: { json: string } | { header: string },
  ) {}
}
/** `JSON.stringify(value)` */
export class JsonBody {
  constructor(readonly value: Value) {}
}
/** one of several values at random: `list[Math.floor(Math.random() * list.length)]`, randomItem(list) */
export class Choice {
  constructor(
    readonly options: Value[],
    readonly node: JsNode,
  ) {}
}
/** Math.random() and linear functions of it: uniform in [min, max) */
export class RandomRange {
  constructor(
    readonly min: number,
    readonly max: number,
    /** Math.random() itself, comparable with a probability */
    readonly unit: boolean,
  ) {}
}
export class FunctionValue {
  constructor(readonly node: JsNode) {}
}

export type Value =
  | string
  | number
  | boolean
  | null
  | undefined
  | Value[]
  | { [key: string]: Value }
  | Unknown
  | EnvRef
  | SetupRef
  | ResponseRef
  | Captured
  | JsonBody
  | Choice
  | RandomRange
  | FunctionValue;

export interface RequestAction {
  kind: 'request';
  node: JsNode;
  method: string;
  url: string;
  /** `tags: { name }` */
  name?: string;
  headers: Record<string, string>;
  body?: { json: unknown } | { text: string };
  expectStatus?: number[];
  /** expect.body and expect.headers from checks on the body and headers */
  expectBody?: BodyExpectation;
  expectHeaders?: Record<string, string>;
  /** capture name -> what to take from the response */
  captures: Record<string, { json: string } | { header: string }>;
}
export interface SleepAction {
  kind: 'sleep';
  node: JsNode;
  /** a perfctl think time: `1s`, `1s-3s` */
  think: string;
}
export interface BranchAction {
  kind: 'branch';
  node: JsNode;
  options: { weight: number; actions: Action[]; node: JsNode }[];
}
export type Action = RequestAction | SleepAction | BranchAction;

/** where a function's values come from, and where its findings go */
export interface ReadContext {
  script: ParsedScript;
  leftOut: SourceRemark[];
  notes: SourceRemark[];
  /** the local names of k6's functions: `http` for k6/http, `check`, `sleep`, `group` */
  k6Names: { http: Set<string>; check: Set<string>; sleep: Set<string>; group: Set<string>; randomIntBetween: Set<string>; randomItem: Set<string>; uuidv4: Set<string>; randomString: Set<string> };
  /** how a SetupRef is written into the profile */
  setupText(ref: SetupRef): string | null;
  /** how an EnvRef is written (and the placeholder it needs) */
  envText(ref: EnvRef): string;
}

type Scope = Map<string, Value>;

const loopNames: Record<string, string> = { ForStatement: 'for', ForOfStatement: 'for...of', ForInStatement: 'for...in', WhileStatement: 'while', DoWhileStatement: 'do...while' };
const httpMethods: Record<string, string> = { get: 'GET', head: 'HEAD', post: 'POST', put: 'PUT', patch: 'PATCH', del: 'DELETE', options: 'OPTIONS' };

function isPlainObject(value: Value): value is { [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

export class FunctionReader {
  private actions: Action[] = [];
  /** setup(): its `return { ... }` */
  returned: Value = undefined;
  private readonly reported = new Set<JsNode>();
  private depth = 0;

  constructor(
    private readonly context: ReadContext,
    private readonly functions: Map<string, FunctionValue>,
  ) {}

  private leave(node: JsNode, advice: string, construct?: string): void {
    if (this.reported.has(node)) return;
    this.reported.add(node);
    this.context.leftOut.push({ ...this.context.script.place(node), construct: construct ?? this.context.script.excerpt(node), advice });
  }

  private note(node: JsNode, advice: string, construct?: string): void {
    this.context.notes.push({ ...this.context.script.place(node), construct: construct ?? this.context.script.excerpt(node), advice });
  }

  /** the actions of a function's body, with `params` bound */
  read(fn: JsNode, scope: Scope): Action[] {
    this.actions = [];
    const body = fn['body'] as JsNode;
    if (body.type === 'BlockStatement') this.statements(body['body'] as JsNode[], new Map(scope));
    else this.expression(body, new Map(scope));
    return this.actions;
  }

  private withActions(run: () => void): Action[] {
    const saved = this.actions;
    this.actions = [];
    run();
    const collected = this.actions;
    this.actions = saved;
    return collected;
  }

  private statements(statements: JsNode[], scope: Scope): void {
    for (const statement of statements) {
      if (this.statement(statement, scope) === 'return') return;
    }
  }

  private statement(node: JsNode, scope: Scope): 'return' | void {
    switch (node.type) {
      case 'VariableDeclaration':
        for (const declarator of node['declarations'] as JsNode[]) {
          const value = declarator['init'] ? this.expression(declarator['init'] as JsNode, scope) : undefined;
          this.bind(declarator['id'] as JsNode, value, scope);
        }
        return;
      case 'ExpressionStatement':
        this.expression(node['expression'] as JsNode, scope);
        return;
      case 'IfStatement':
        this.ifStatement(node, scope);
        return;
      case 'BlockStatement':
        this.statements(node['body'] as JsNode[], new Map(scope));
        return;
      case 'ReturnStatement':
        this.returned = node['argument'] ? this.expression(node['argument'] as JsNode, scope) : undefined;
        return 'return';
      case 'EmptyStatement':
      case 'FunctionDeclaration':
        return;
      case 'TryStatement':
        this.note(node, 'its block is converted; the catch and finally are not', 'try');
        this.statements((node['block'] as JsNode)['body'] as JsNode[], new Map(scope));
        return;
      case 'ForStatement':
      case 'ForOfStatement':
      case 'ForInStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
        this.leave(node, 'a loop in JavaScript: write its requests as steps of a flow (one per request; repeat: N is on the way)', `${loopNames[node.type] ?? 'a'} loop`);
        return;
      default:
        this.leave(node, 'custom JavaScript: not converted');
    }
  }

  private bind(pattern: JsNode, value: Value, scope: Scope): void {
    if (pattern.type === 'Identifier') {
      if (value instanceof Captured && value.name === undefined) value.name = pattern['name'] as string;
      scope.set(pattern['name'] as string, value);
      return;
    }
    // destructuring: each name is unknown (used in a request, it is reported there)
    const names: JsNode[] = [];
    const collect = (node: JsNode | null): void => {
      if (!node) return;
      if (node.type === 'Identifier') names.push(node);
      else if (node.type === 'ObjectPattern') (node['properties'] as JsNode[]).forEach((property) => collect(property.type === 'RestElement' ? property['argument'] : property['value']));
      else if (node.type === 'ArrayPattern') (node['elements'] as (JsNode | null)[]).forEach(collect);
      else if (node.type === 'AssignmentPattern') collect(node['left'] as JsNode);
      else if (node.type === 'RestElement') collect(node['argument'] as JsNode);
    };
    collect(pattern);
    for (const name of names) scope.set(name['name'] as string, new Unknown(pattern));
  }

  /** `if (Math.random() < 0.7) { A } else if (...) { B } else { C }`: weighted alternatives */
  private ifStatement(node: JsNode, scope: Scope): void {
    const options: BranchAction['options'] = [];
    let remaining = 1;
    let lower = 0;
    let current: JsNode | null = node;
    let randomVar: RandomRange | null = null;
    while (current && current.type === 'IfStatement') {
      const test = this.randomTest(current['test'] as JsNode, scope);
      if (test === null) {
        this.leave(current, 'a condition in JavaScript: perfctl sends every step; the nearest construct is a weighted request mix (for Math.random() branches)', `if (${this.context.script.excerpt(current['test'] as JsNode, 40)})`);
        return;
      }
      let weight: number;
      if (test.variable) {
        if (randomVar === null) randomVar = test.variable;
        weight = Math.max(0, test.below - lower);
        lower = Math.max(lower, test.below);
        remaining = 1 - lower;
      } else {
        weight = remaining * test.below;
        remaining -= weight;
      }
      const consequent = current['consequent'] as JsNode;
      options.push({ weight, node: current, actions: this.withActions(() => this.statement(consequent, new Map(scope))) });
      const alternate = current['alternate'] as JsNode | null;
      if (alternate && alternate.type !== 'IfStatement') {
        options.push({ weight: remaining, node: alternate, actions: this.withActions(() => this.statement(alternate, new Map(scope))) });
        remaining = 0;
      }
      current = alternate && alternate.type === 'IfStatement' ? alternate : null;
    }
    if (remaining > 1e-9) options.push({ weight: remaining, node, actions: [] });
    this.actions.push({ kind: 'branch', node, options });
  }

  /** `Math.random() < p`, `p > Math.random()`, `r < p` for a const r = Math.random(); the probability of the then-branch */
  private randomTest(test: JsNode, scope: Scope): { below: number; variable: RandomRange | null } | null {
    if (test.type !== 'BinaryExpression') return null;
    const operator = test['operator'] as string;
    const left = this.peek(test['left'] as JsNode, scope);
    const right = this.peek(test['right'] as JsNode, scope);
    const variable = (node: JsNode): RandomRange | null => {
      if (node.type !== 'Identifier') return null;
      const value = scope.get(node['name'] as string);
      return value instanceof RandomRange ? value : null;
    };
    if (left instanceof RandomRange && left.unit && typeof right === 'number') {
      if (operator === '<' || operator === '<=') return { below: clamp(right), variable: variable(test['left'] as JsNode) };
      if ((operator === '>' || operator === '>=') && !variable(test['left'] as JsNode)) return { below: 1 - clamp(right), variable: null };
    }
    if (right instanceof RandomRange && right.unit && typeof left === 'number') {
      if (operator === '>' || operator === '>=') return { below: clamp(left), variable: variable(test['right'] as JsNode) };
    }
    return null;
  }

  /** a value without side effects (for conditions) */
  private peek(node: JsNode, scope: Scope): Value {
    if (node.type === 'CallExpression' && this.isMathRandom(node)) return new RandomRange(0, 1, true);
    if (node.type === 'Identifier') return scope.get(node['name'] as string);
    if (node.type === 'Literal') return node['value'] as Value;
    return undefined;
  }

  private isMathRandom(node: JsNode): boolean {
    const callee = node['callee'] as JsNode;
    return node.type === 'CallExpression' && callee.type === 'MemberExpression' && (callee['object'] as JsNode).type === 'Identifier' && (callee['object'] as JsNode)['name'] === 'Math' && propertyName(callee) === 'random';
  }

  expression(node: JsNode, scope: Scope): Value {
    switch (node.type) {
      case 'Literal':
        return node['regex'] ? new Unknown(node) : (node['value'] as Value);
      case 'TemplateLiteral':
        return this.templateLiteral(node, scope);
      case 'Identifier': {
        const name = node['name'] as string;
        if (name === 'undefined') return undefined;
        // k6's VU number and iteration: perfctl's {{ user }} (closed model) and {{ iteration }}
        if (name === '__VU' && !scope.has(name)) return '{{ user }}';
        if (name === '__ITER' && !scope.has(name)) return '{{ iteration }}';
        if (scope.has(name)) return scope.get(name);
        const fn = this.functions.get(name);
        return fn ?? new Unknown(node);
      }
      case 'MemberExpression':
        return this.member(node, scope);
      case 'CallExpression':
        return this.call(node, scope);
      case 'BinaryExpression':
        return this.binary(node, scope);
      case 'LogicalExpression': {
        const left = this.expression(node['left'] as JsNode, scope);
        const right = this.expression(node['right'] as JsNode, scope);
        if (left instanceof EnvRef && (typeof right === 'string' || typeof right === 'number') && (node['operator'] === '||' || node['operator'] === '??')) return new EnvRef(left.name, String(right));
        if (typeof left === 'string' || typeof left === 'number') return node['operator'] === '&&' ? right : left || right;
        return new Unknown(node);
      }
      case 'ObjectExpression': {
        const object: { [key: string]: Value } = {};
        for (const property of node['properties'] as JsNode[]) {
          if (property.type === 'SpreadElement') {
            const spread = this.expression(property['argument'] as JsNode, scope);
            if (isPlainObject(spread)) Object.assign(object, spread);
            else return new Unknown(property);
            continue;
          }
          const key = property['computed'] ? this.expression(property['key'] as JsNode, scope) : propertyKey(property['key'] as JsNode);
          if (typeof key !== 'string' && typeof key !== 'number') return new Unknown(property);
          object[String(key)] = this.expression(property['value'] as JsNode, scope);
        }
        return object;
      }
      case 'ArrayExpression':
        return (node['elements'] as (JsNode | null)[]).map((element) => (element && element.type !== 'SpreadElement' ? this.expression(element, scope) : new Unknown(node)));
      case 'ArrowFunctionExpression':
      case 'FunctionExpression':
        return new FunctionValue(node);
      case 'UnaryExpression': {
        const argument = this.expression(node['argument'] as JsNode, scope);
        if (node['operator'] === '-' && typeof argument === 'number') return -argument;
        if (node['operator'] === '!' && typeof argument === 'boolean') return !argument;
        return new Unknown(node);
      }
      case 'AssignmentExpression': {
        const value = this.expression(node['right'] as JsNode, scope);
        const target = node['left'] as JsNode;
        if (node['operator'] === '=' && target.type === 'Identifier') this.bind(target, value, scope);
        return value;
      }
      case 'AwaitExpression':
        return this.expression(node['argument'] as JsNode, scope);
      default:
        return new Unknown(node);
    }
  }

  private templateLiteral(node: JsNode, scope: Scope): Value {
    const quasis = node['quasis'] as JsNode[];
    const parts: Value[] = [];
    quasis.forEach((quasi, index) => {
      parts.push((quasi['value'] as { cooked: string }).cooked);
      const expression = (node['expressions'] as JsNode[])[index];
      if (expression) parts.push(this.expression(expression, scope));
    });
    return this.concat(parts, node);
  }

  /** the parts joined as text; unknown when one cannot be written, a Choice when one is */
  private concat(parts: Value[], node: JsNode): Value {
    const choices = parts.filter((part): part is Choice => part instanceof Choice);
    if (choices.length > 1) return new Unknown(node);
    if (choices.length === 1) {
      const choice = choices[0]!;
      return new Choice(
        choice.options.map((option) => this.concat(parts.map((part) => (part === choice ? option : part)), node)),
        choice.node,
      );
    }
    let text = '';
    for (const part of parts) {
      const written = this.text(part);
      if (written === null) return new Unknown(node);
      text += written;
    }
    return text;
  }

  /** a value as text in the profile: literal text, `${ENV}`, `{{ capture }}`; null when it cannot be */
  text(value: Value): string | null {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value instanceof EnvRef) return this.context.envText(value);
    // randomIntBetween(1, 10) in a URL or body: drawn per request
    if (value instanceof RandomRange && !value.unit && Number.isInteger(value.min) && Number.isInteger(value.max)) return `{{ randomInt(${value.min}, ${value.max}) }}`;
    if (value instanceof SetupRef) return this.context.setupText(value);
    if (value instanceof Captured) {
      const name = value.name ?? 'value';
      for (const request of value.requests) request.captures[name] = value.capture;
      return `{{ ${name} }}`;
    }
    return null;
  }

  private member(node: JsNode, scope: Scope): Value {
    const objectNode = node['object'] as JsNode;
    if (objectNode.type === 'Identifier' && objectNode['name'] === '__ENV' && !node['computed']) return new EnvRef(propertyName(node) ?? '');
    const object = this.expression(objectNode, scope);
    // list[Math.floor(Math.random() * list.length)]: one of the list at random
    if (Array.isArray(object) && node['computed'] && this.isRandomIndex(node['property'] as JsNode)) return new Choice(object, node);
    const key = node['computed'] ? this.expression(node['property'] as JsNode, scope) : propertyName(node);
    if (object instanceof SetupRef && typeof key === 'string') return new SetupRef([...object.path, key]);
    if (object instanceof ResponseRef && key === 'headers') return new Captured(object.requests, { header: '' });
    if (object instanceof Captured && 'header' in object.capture && object.capture.header === '' && typeof key === 'string') return new Captured(object.requests, { header: key.toLowerCase() });
    if (object instanceof Captured && 'json' in object.capture && typeof key === 'string') return new Captured(object.requests, { json: `${object.capture.json}.${key}` });
    if (object instanceof Captured && 'json' in object.capture && typeof key === 'number') return new Captured(object.requests, { json: `${object.capture.json}[${key}]` });
    if (Array.isArray(object)) {
      if (key === 'length') return object.length;
      if (typeof key === 'number') return object[key];
    }
    if (isPlainObject(object) && (typeof key === 'string' || typeof key === 'number')) return object[String(key)];
    if (typeof object === 'string' && key === 'length') return object.length;
    return new Unknown(node);
  }

  /** `Math.floor(Math.random() * list.length)` */
  private isRandomIndex(node: JsNode): boolean {
    if (node.type !== 'CallExpression') return false;
    const callee = node['callee'] as JsNode;
    if (callee.type !== 'MemberExpression' || propertyName(callee) !== 'floor') return false;
    const argument = (node['arguments'] as JsNode[])[0];
    if (!argument || argument.type !== 'BinaryExpression' || argument['operator'] !== '*') return false;
    const [a, b] = [argument['left'] as JsNode, argument['right'] as JsNode];
    const isLength = (side: JsNode): boolean => side.type === 'MemberExpression' && propertyName(side) === 'length';
    return (this.isMathRandom(a) && isLength(b)) || (this.isMathRandom(b) && isLength(a));
  }

  private binary(node: JsNode, scope: Scope): Value {
    const operator = node['operator'] as string;
    const left = this.expression(node['left'] as JsNode, scope);
    const right = this.expression(node['right'] as JsNode, scope);
    if (typeof left === 'number' && typeof right === 'number') {
      const results: Record<string, number> = { '+': left + right, '-': left - right, '*': left * right, '/': left / right, '%': left % right };
      if (results[operator] !== undefined) return results[operator];
    }
    if (operator === '+' && (typeof left === 'string' || typeof right === 'string' || left instanceof EnvRef || right instanceof EnvRef || left instanceof SetupRef || right instanceof SetupRef || left instanceof Choice || right instanceof Choice)) {
      return this.concat([left, right], node);
    }
    // sleep(1 + Math.random() * 2): a uniform think time
    if (left instanceof RandomRange && typeof right === 'number') {
      if (operator === '*') return new RandomRange(left.min * right, left.max * right, false);
      if (operator === '+') return new RandomRange(left.min + right, left.max + right, false);
    }
    if (right instanceof RandomRange && typeof left === 'number') {
      if (operator === '*') return new RandomRange(right.min * left, right.max * left, false);
      if (operator === '+') return new RandomRange(right.min + left, right.max + left, false);
    }
    return new Unknown(node);
  }

  private call(node: JsNode, scope: Scope): Value {
    const callee = node['callee'] as JsNode;
    const args = node['arguments'] as JsNode[];
    const names = this.context.k6Names;
    if (this.isMathRandom(node)) return new RandomRange(0, 1, true);
    if (callee.type === 'MemberExpression') {
      const objectNode = callee['object'] as JsNode;
      const method = propertyName(callee) ?? '';
      if (objectNode.type === 'Identifier' && names.http.has(objectNode['name'] as string)) return this.httpCall(node, method, args, scope);
      if (objectNode.type === 'Identifier' && objectNode['name'] === 'JSON' && method === 'stringify') return new JsonBody(args[0] ? this.expression(args[0], scope) : undefined);
      if (objectNode.type === 'Identifier' && objectNode['name'] === 'console') {
        this.note(node, 'dropped: perfctl prints no log lines from a run');
        return undefined;
      }
      if (objectNode.type === 'Identifier' && objectNode['name'] === 'Date' && method === 'now') return '{{ timestamp() }}';
      if (objectNode.type === 'Identifier' && objectNode['name'] === 'Math' && method === 'floor') {
        const value = args[0] ? this.expression(args[0], scope) : undefined;
        return typeof value === 'number' ? Math.floor(value) : new Unknown(node);
      }
      const object = this.expression(objectNode, scope);
      // res.json('token'), res.json().token, res.json('items.0.id')
      if (object instanceof ResponseRef && method === 'json') {
        const pathArg = args[0] ? this.expression(args[0], scope) : undefined;
        if (pathArg === undefined) return new Captured(object.requests, { json: '$' });
        if (typeof pathArg === 'string' && /^[\w.#-]+$/.test(pathArg)) return new Captured(object.requests, { json: `$${pathArg.split('.').map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')}` });
        this.leave(node, 'perfctl captures with a JSON path: write capture: { name: $.path } on the step');
        return new Unknown(node);
      }
      if (Array.isArray(object) && method === 'includes') return new Unknown(node);
      this.leave(node, 'a method call in JavaScript: not converted');
      return new Unknown(node);
    }
    if (callee.type === 'Identifier') {
      const name = callee['name'] as string;
      if (names.check.has(name)) return this.check(node, args, scope);
      if (names.sleep.has(name)) return this.sleep(node, args, scope);
      if (names.group.has(name)) {
        const fn = args[1] ? this.expression(args[1], scope) : undefined;
        if (fn instanceof FunctionValue) {
          this.note(node, 'its requests are converted in order (perfctl has no groups: steps are grouped under their flow)', `group(${this.context.script.excerpt(args[0] ?? node, 30)})`);
          const body = fn.node['body'] as JsNode;
          if (body.type === 'BlockStatement') this.statements(body['body'] as JsNode[], new Map(scope));
          else this.expression(body, new Map(scope));
        }
        return undefined;
      }
      if (names.randomItem.has(name)) {
        const list = args[0] ? this.expression(args[0], scope) : undefined;
        return Array.isArray(list) ? new Choice(list, node) : new Unknown(node);
      }
      if (names.uuidv4.has(name)) return '{{ uuid() }}';
      if (names.randomString.has(name)) {
        const length = args[0] ? this.expression(args[0], scope) : undefined;
        if (typeof length === 'number' && Number.isInteger(length) && length > 0) return `{{ randomString(${length}) }}`;
        this.leave(node, 'perfctl\'s randomString(n) takes a length only');
        return new Unknown(node);
      }
      if (names.randomIntBetween.has(name)) {
        const [min, max] = args.map((arg) => this.expression(arg, scope));
        return typeof min === 'number' && typeof max === 'number' ? new RandomRange(min, max, false) : new Unknown(node);
      }
      const fn = this.functions.get(name);
      if (fn && !scope.has(name)) return this.inline(node, fn, args, scope);
    }
    this.leave(node, 'a function call in JavaScript: not converted');
    return new Unknown(node);
  }

  /** a helper function of the script, read where it is called (its requests become steps there) */
  private inline(node: JsNode, fn: FunctionValue, args: JsNode[], scope: Scope): Value {
    if (this.depth >= 5) {
      this.leave(node, 'helpers calling helpers this deep are not followed');
      return new Unknown(node);
    }
    const inner: Scope = new Map(scope);
    (fn.node['params'] as JsNode[]).forEach((param, index) => this.bind(param, args[index] ? this.expression(args[index]!, scope) : undefined, inner));
    const saved = this.returned;
    this.returned = undefined;
    this.depth += 1;
    const body = fn.node['body'] as JsNode;
    let result: Value;
    if (body.type === 'BlockStatement') {
      this.statements(body['body'] as JsNode[], inner);
      result = this.returned;
    } else {
      result = this.expression(body, inner);
    }
    this.depth -= 1;
    this.returned = saved;
    return result;
  }

  private httpCall(node: JsNode, method: string, args: JsNode[], scope: Scope): Value {
    let verb: string | undefined = httpMethods[method];
    let rest = args;
    if (method === 'request') {
      const given = args[0] ? this.expression(args[0], scope) : undefined;
      verb = typeof given === 'string' ? given.toUpperCase() : undefined;
      rest = args.slice(1);
      if (!verb) {
        this.leave(node, 'the method is not a literal: write the request by hand');
        return new Unknown(node);
      }
    }
    if (!verb) {
      this.leave(node, method === 'batch' ? 'perfctl sends a flow\'s steps one after another: list the batch\'s requests as steps (or as requests of the mix)' : `http.${method} is not converted`);
      return new Unknown(node);
    }
    const hasBody = !['GET', 'HEAD'].includes(verb) || method === 'request';
    const [urlNode, second, third] = rest;
    const bodyNode = hasBody ? second : undefined;
    const paramsNode = hasBody ? third : second;
    const url = urlNode ? this.expression(urlNode, scope) : undefined;
    const urls = url instanceof Choice ? url.options : [url];
    const texts = urls.map((option) => this.text(option));
    if (texts.some((text) => text === null)) {
      this.leave(node, 'the URL is neither a literal nor a template of consts: write the request by hand', `http.${method}(${this.context.script.excerpt(urlNode ?? node, 40)})`);
      return new Unknown(node);
    }
    const template: Omit<RequestAction, 'url' | 'captures'> = { kind: 'request', node, method: verb, headers: {} };
    if (bodyNode) {
      const body = this.expression(bodyNode, scope);
      const written = this.body(body, bodyNode);
      if (written === null) this.leave(bodyNode, 'the body is not a literal, a template or JSON.stringify of an object: write it by hand', 'request body');
      else if ('form' in written) {
        template.body = { text: written.form };
        template.headers['content-type'] = 'application/x-www-form-urlencoded';
      } else template.body = written;
    }
    if (paramsNode) this.params(this.expression(paramsNode, scope), paramsNode, template);
    const requests = (texts as string[]).map((text): RequestAction => ({ ...template, headers: { ...template.headers }, url: text, captures: {} }));
    if (url instanceof Choice) {
      this.note(url.node, `one of ${requests.length} URLs at random: ${requests.length} requests of equal weight`);
      this.actions.push({ kind: 'branch', node, options: requests.map((request) => ({ weight: 1 / requests.length, actions: [request], node })) });
    } else {
      this.actions.push(requests[0]!);
    }
    return new ResponseRef(requests);
  }

  private body(body: Value, node: JsNode): { json: unknown } | { text: string } | { form: string } | null {
    if (body instanceof JsonBody) {
      const json = this.json(body.value);
      return json === null ? null : { json: json.value };
    }
    if (isPlainObject(body)) {
      const parts: string[] = [];
      for (const [key, value] of Object.entries(body)) {
        const text = this.text(value);
        if (text === null) return null;
        parts.push(`${encodeURIComponent(key)}=${text.includes('{{') || text.includes('${') ? text : encodeURIComponent(text)}`);
      }
      this.note(node, 'an object body is sent as a form (application/x-www-form-urlencoded), as k6 does');
      return { form: parts.join('&') };
    }
    const text = this.text(body);
    return text === null ? null : { text };
  }

  /** a value as JSON for `json:`, its strings as profile text */
  private json(value: Value): { value: unknown } | null {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return { value };
    if (Array.isArray(value)) {
      const items = value.map((item) => this.json(item));
      return items.some((item) => item === null) ? null : { value: items.map((item) => item!.value) };
    }
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        const json = this.json(item);
        if (json === null) return null;
        out[key] = json.value;
      }
      return { value: out };
    }
    const text = this.text(value);
    return text === null ? null : { value: text };
  }

  private params(params: Value, node: JsNode, request: Omit<RequestAction, 'url' | 'captures'>): void {
    if (!isPlainObject(params)) {
      this.leave(node, 'the params are not an object of consts: write the headers by hand', 'request params');
      return;
    }
    for (const [key, value] of Object.entries(params)) {
      if (key === 'headers' && isPlainObject(value)) {
        for (const [name, headerValue] of Object.entries(value)) {
          const text = this.text(headerValue);
          if (text === null) this.leave(node, `the value of header ${name} is not known before the run: write it by hand`, `headers.${name}`);
          else request.headers[name.toLowerCase()] = text;
        }
      } else if (key === 'tags' && isPlainObject(value)) {
        if (typeof value['name'] === 'string') request.name = value['name'];
        const others = Object.keys(value).filter((tag) => tag !== 'name');
        if (others.length > 0) this.note(node, 'perfctl groups results by request name only', `tags ${others.join(', ')}`);
      } else if (key === 'timeout' || key === 'redirects' || key === 'auth' || key === 'cookies' || key === 'jar' || key === 'responseType' || key === 'compression') {
        const advice: Record<string, string> = {
          timeout: 'perfctl has one timeout for the profile (timeout: 10s)',
          redirects: 'perfctl\'s http.redirects (on the way) sets it for the profile',
          auth: 'write the authorization header by hand',
          cookies: 'write a cookie header by hand',
          jar: 'perfctl keeps no cookie jar yet',
          responseType: 'perfctl reads the body when a capture or expect needs it',
          compression: 'not converted',
        };
        this.leave(node, advice[key]!, `params.${key}`);
      } else {
        this.leave(node, 'not converted', `params.${key}`);
      }
    }
  }

  private check(node: JsNode, args: JsNode[], scope: Scope): Value {
    const subject = args[0] ? this.expression(args[0], scope) : undefined;
    const checks = args[1];
    if (!(subject instanceof ResponseRef) || !checks || checks.type !== 'ObjectExpression') {
      this.leave(node, 'perfctl checks a response\'s status (expect: { status: [200] }): this check is not on a response');
      return new Unknown(node);
    }
    for (const property of checks['properties'] as JsNode[]) {
      const label = property.type === 'Property' ? String(propertyKey(property['key'] as JsNode) ?? '?') : '?';
      const fn = property['value'] as JsNode | undefined;
      const statuses = fn ? statusCheck(fn) : null;
      const content = fn && statuses === null ? contentCheck(fn) : null;
      if (statuses === 'default') {
        this.note(property, 'perfctl counts any 2xx or 3xx as a success by default', `check '${label}'`);
      } else if (statuses) {
        for (const request of subject.requests) request.expectStatus = [...new Set([...(request.expectStatus ?? []), ...statuses])];
      } else if (content) {
        for (const request of subject.requests) {
          const body = request.expectBody ?? {};
          if (content.body?.contains !== undefined && body.contains !== undefined) {
            this.leave(property, 'perfctl checks one contains: per request; write the texts as matches: (a|b) by hand', `check '${label}'`);
            continue;
          }
          if (content.body) request.expectBody = { ...body, ...content.body, ...(body.json || content.body.json ? { json: { ...body.json, ...content.body.json } } : {}) };
          if (content.headers) request.expectHeaders = { ...request.expectHeaders, ...content.headers };
        }
      } else {
        const written = fn ? this.context.script.excerpt(fn, 80) : '';
        const advice = /timings/.test(written)
          ? 'perfctl judges latency in the target table: a row for this request with max: or p95: (a check does not fail a k6 test; a target fails the run)'
          : /\b(body|json|html|headers)\b/.test(written)
            ? 'perfctl reads body.includes(text), regex.test(body), json(path) === value or !== undefined, and headers[name] === / includes(text): write other checks as expect: { body: ... } by hand'
            : 'perfctl checks the status (expect: { status: [...] }), the body and the headers';
        this.leave(property, advice, `check '${label}'`);
      }
    }
    return new Unknown(node);
  }

  private sleep(node: JsNode, args: JsNode[], scope: Scope): Value {
    const value = args[0] ? this.expression(args[0], scope) : undefined;
    if (typeof value === 'number' && value >= 0) {
      this.actions.push({ kind: 'sleep', node, think: secondsText(value) });
    } else if (value instanceof RandomRange && value.min >= 0) {
      this.actions.push({ kind: 'sleep', node, think: `${secondsText(value.min)}-${secondsText(value.max)}` });
    } else {
      this.leave(node, 'the pause is not a number of seconds: write think: 1s by hand');
    }
    return undefined;
  }
}

function clamp(probability: number): number {
  return Math.min(1, Math.max(0, probability));
}

/** seconds as a perfctl duration: 1 -> `1s`, 0.5 -> `500ms` */
export function secondsText(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function propertyName(member: JsNode): string | undefined {
  const property = member['property'] as JsNode;
  if (!member['computed'] && property.type === 'Identifier') return property['name'] as string;
  if (property.type === 'Literal' && typeof property['value'] === 'string') return property['value'];
  return undefined;
}

function propertyKey(key: JsNode): string | number | undefined {
  if (key.type === 'Identifier') return key['name'] as string;
  if (key.type === 'Literal' && (typeof key['value'] === 'string' || typeof key['value'] === 'number')) return key['value'];
  return undefined;
}

/** A check function `(r) => expr` or `function (r) { return expr }`: its parameter's name and expr. */
function checkFunction(fn: JsNode): { name: string; body: JsNode } | null {
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return null;
  const param = (fn['params'] as JsNode[])[0];
  if (!param || param.type !== 'Identifier') return null;
  const body = fn['body'] as JsNode;
  if (body.type !== 'BlockStatement') return { name: param['name'] as string, body };
  const statements = body['body'] as JsNode[];
  const only = statements[0];
  if (statements.length !== 1 || !only || only.type !== 'ReturnStatement' || !only['argument']) return null;
  return { name: param['name'] as string, body: only['argument'] as JsNode };
}

/**
 * The statuses a check function accepts: `(r) => r.status === 200`, `r.status == 200 || r.status
 * === 201`, `[200, 201].includes(r.status)`; 'default' for `r.status >= 200 && r.status < 300`;
 * null for any other check.
 */
export function statusCheck(fn: JsNode): number[] | 'default' | null {
  const check = checkFunction(fn);
  if (!check) return null;
  const { name, body } = check;
  const isStatus = (node: JsNode): boolean =>
    node.type === 'MemberExpression' && (node['object'] as JsNode).type === 'Identifier' && (node['object'] as JsNode)['name'] === name && propertyName(node) === 'status';
  const number = (node: JsNode): number | null => (node.type === 'Literal' && typeof node['value'] === 'number' ? node['value'] : null);
  const read = (node: JsNode): number[] | 'default' | null => {
    if (node.type === 'BinaryExpression' && ['===', '=='].includes(node['operator'] as string)) {
      const [left, right] = [node['left'] as JsNode, node['right'] as JsNode];
      const value = isStatus(left) ? number(right) : isStatus(right) ? number(left) : null;
      return value === null ? null : [value];
    }
    if (node.type === 'LogicalExpression' && node['operator'] === '||') {
      const [left, right] = [read(node['left'] as JsNode), read(node['right'] as JsNode)];
      return Array.isArray(left) && Array.isArray(right) ? [...left, ...right] : null;
    }
    if (node.type === 'LogicalExpression' && node['operator'] === '&&') {
      const written = [node['left'], node['right']] as JsNode[];
      const bounds = written.map((side) => (side.type === 'BinaryExpression' && isStatus(side['left'] as JsNode) ? [side['operator'], number(side['right'] as JsNode)] : null));
      const [low, high] = bounds;
      if (low && high && ((low[0] === '>=' && low[1] === 200) || (low[0] === '>' && low[1] === 199)) && ((high[0] === '<' && (high[1] === 300 || high[1] === 400)) || (high[0] === '<=' && (high[1] === 299 || high[1] === 399)))) return 'default';
      return null;
    }
    if (node.type === 'CallExpression') {
      const callee = node['callee'] as JsNode;
      const argument = (node['arguments'] as JsNode[])[0];
      if (callee.type === 'MemberExpression' && propertyName(callee) === 'includes' && (callee['object'] as JsNode).type === 'ArrayExpression' && argument && isStatus(argument)) {
        const values = ((callee['object'] as JsNode)['elements'] as JsNode[]).map(number);
        return values.every((value) => value !== null) ? (values as number[]) : null;
      }
    }
    return null;
  };
  return read(body);
}

export interface BodyExpectation {
  contains?: string;
  matches?: string;
  /** JSON path -> the value, or { matches } for "is there" */
  json?: Record<string, string | number | boolean | null | { matches: string }>;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What a check on the body or headers expects: `r.body.includes('ok')`, `/re/.test(r.body)`,
 * `r.json('status') === 'ok'`, `r.json().token !== undefined`, `r.headers['Content-Type'] ===
 * 'application/json'`, `.includes('json')`, joined with &&; null for any other check.
 */
export function contentCheck(fn: JsNode): { body?: BodyExpectation; headers?: Record<string, string> } | null {
  const check = checkFunction(fn);
  if (!check) return null;
  const { name, body } = check;
  const isParam = (node: JsNode): boolean => node.type === 'Identifier' && node['name'] === name;
  const isBody = (node: JsNode): boolean => node.type === 'MemberExpression' && isParam(node['object'] as JsNode) && propertyName(node) === 'body';
  const literal = (node: JsNode): string | number | boolean | null | undefined => {
    if (node.type === 'Literal' && (['string', 'number', 'boolean'].includes(typeof node['value']) || node['value'] === null)) return node['value'] as string | number | boolean | null;
    if (node.type === 'TemplateLiteral' && (node['expressions'] as JsNode[]).length === 0) return ((node['quasis'] as JsNode[])[0]?.['value'] as { cooked: string }).cooked;
    return undefined;
  };
  /** `r.json('a.b')`, `r.json().a.b`, `r.json()['a']` -> `$.a.b` */
  const jsonPath = (node: JsNode): string | null => {
    if (node.type === 'CallExpression') {
      const callee = node['callee'] as JsNode;
      if (callee.type !== 'MemberExpression' || !isParam(callee['object'] as JsNode) || propertyName(callee) !== 'json') return null;
      const arg = (node['arguments'] as JsNode[])[0];
      if (!arg) return '$';
      const path = literal(arg);
      return typeof path === 'string' && /^[\w.-]+$/.test(path) ? `$${path.split('.').map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')}` : null;
    }
    if (node.type === 'MemberExpression') {
      const inner = jsonPath(node['object'] as JsNode);
      const key = node['computed'] ? literal(node['property'] as JsNode) : propertyName(node);
      if (inner === null || key === undefined || key === null || typeof key === 'boolean') return null;
      return typeof key === 'number' ? `${inner}[${key}]` : `${inner}.${key}`;
    }
    return null;
  };
  /** `r.headers['Content-Type']` -> content-type */
  const headerName = (node: JsNode): string | null => {
    if (node.type !== 'MemberExpression') return null;
    const object = node['object'] as JsNode;
    if (object.type !== 'MemberExpression' || !isParam(object['object'] as JsNode) || propertyName(object) !== 'headers') return null;
    const key = node['computed'] ? literal(node['property'] as JsNode) : propertyName(node);
    return typeof key === 'string' ? key.toLowerCase() : null;
  };
  const out: { body?: BodyExpectation; headers?: Record<string, string> } = {};
  const addJson = (path: string, value: string | number | boolean | null | { matches: string }): void => {
    out.body = { ...out.body, json: { ...out.body?.json, [path]: value } };
  };
  const read = (node: JsNode): boolean => {
    if (node.type === 'LogicalExpression' && node['operator'] === '&&') return read(node['left'] as JsNode) && read(node['right'] as JsNode);
    if (node.type === 'CallExpression') {
      const callee = node['callee'] as JsNode;
      const arg = (node['arguments'] as JsNode[])[0];
      if (callee.type !== 'MemberExpression' || !arg) return false;
      const method = propertyName(callee);
      const object = callee['object'] as JsNode;
      // r.body.includes('ok')
      if (method === 'includes' && isBody(object) && typeof literal(arg) === 'string') {
        if (out.body?.contains !== undefined) return false;
        out.body = { ...out.body, contains: literal(arg) as string };
        return true;
      }
      // r.headers['Content-Type'].includes('json')
      const header = headerName(object);
      if (method === 'includes' && header && typeof literal(arg) === 'string') {
        out.headers = { ...out.headers, [header]: escapeRegex(literal(arg) as string) };
        return true;
      }
      // /ok/.test(r.body)
      if (method === 'test' && object.type === 'Literal' && object['regex'] && isBody(arg)) {
        out.body = { ...out.body, matches: (object['regex'] as { pattern: string }).pattern };
        return true;
      }
      return false;
    }
    if (node.type === 'BinaryExpression' && ['===', '==', '!==', '!='].includes(node['operator'] as string)) {
      const [left, right] = [node['left'] as JsNode, node['right'] as JsNode];
      const equal = node['operator'] === '===' || node['operator'] === '==';
      const path = jsonPath(left) ?? jsonPath(right);
      const other = jsonPath(left) !== null ? right : left;
      const isUndefined = other.type === 'Identifier' && other['name'] === 'undefined';
      if (path !== null) {
        if (!equal && (isUndefined || (other.type === 'Literal' && other['value'] === null))) {
          addJson(path, { matches: '.' });
          return true;
        }
        const value = literal(other);
        if (equal && value !== undefined) {
          addJson(path, value);
          return true;
        }
        return false;
      }
      const header = headerName(left) ?? headerName(right);
      const value = literal(headerName(left) !== null ? right : left);
      if (header && equal && typeof value === 'string') {
        out.headers = { ...out.headers, [header]: `^${escapeRegex(value)}$` };
        return true;
      }
      return false;
    }
    return false;
  };
  return read(body) && (out.body !== undefined || out.headers !== undefined) ? out : null;
}
