using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using SymGen.Generator.Diagnostics;
using SymGen.Generator.Model;
using SymGen.Graph;

namespace SymGen.Generator.Parsing;

/// <summary>
/// Translates a step method's body into a <see cref="StepGraph"/>, following C#'s own typing: every implicit or
/// explicit numeric conversion the compiler applies becomes a <see cref="Op.Convert"/> node, so the graph computes
/// exactly what the step method computes when called directly.
/// Supported: expression or block bodies, locals (declared, assigned, compound-assigned), arithmetic, comparison and
/// logical operators, conditional expressions, casts, constants, System.Math/MathF and SymGen.Sym functions of the op
/// table, and integer indexing of vectors and matrices (<c>x[i]</c>, <c>m[i]</c>, <c>m.Row(i)</c>).
/// Anything else is reported (SYMG0013) where it stands, and translation goes on with a placeholder.
/// </summary>
internal sealed class StepBodyTranslator
{
    private readonly IMethodSymbol _step;
    private readonly SemanticModel _model;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _cancellation;
    // The builder merges an expression computed twice (e.g. '2 * h' in an output and in a condition) into one node.
    private readonly StepGraphBuilder<Dim> _graph;
    private readonly List<SizeCheck> _sizeChecks = new();
    private readonly HashSet<(Dim, Dim)> _checkedPairs = new();
    private readonly Dictionary<ISymbol, int> _values = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<SyntaxNode, Fact> _facts = new();
    private readonly Dictionary<SyntaxNode, ITypeSymbol?> _conversions = new();
    private bool _failed;

    /// <summary>The observing nodes (prints), by node, with the expression each was made from.</summary>
    private readonly Dictionary<int, SyntaxNode> _observers = new();

    private StepBodyTranslator(IMethodSymbol step, SemanticModel model, List<DiagnosticInfo> diagnostics, CancellationToken cancellation)
    {
        _step = step;
        _model = model;
        _diagnostics = diagnostics;
        _cancellation = cancellation;
        // Every pair of dimensions the shape rules require equal is checked per call, once per pair: a long chain
        // of one vector's ops needs one check, not one per op.
        _graph = new StepGraphBuilder<Dim>((a, b, label, what) =>
        {
            if (a != b && _checkedPairs.Add((a, b))) _sizeChecks.Add(new SizeCheck(a, b, $"{label} in step {_step.Name}: {what}"));
        });
    }

    /// <summary>The step graph and the size checks its shapes need, or null after errors.</summary>
    public static (StepGraph, List<SizeCheck>)? Translate(
        IMethodSymbol step,
        MethodDeclarationSyntax declaration,
        SemanticModel model,
        IReadOnlyList<StepArgument> arguments,
        IReadOnlyList<ScanOutput> outputs,
        bool hasCondition,
        List<DiagnosticInfo> diagnostics,
        CancellationToken cancellation)
    {
        // A body the C# compiler rejects (e.g. a Mat where a Vec is needed) is the compiler's to report, at the
        // offending expression; translating it would only add noise.
        if (model.GetDiagnostics(declaration.Span, cancellation).Any(d => d.Severity == DiagnosticSeverity.Error))
            return null;
        var translator = new StepBodyTranslator(step, model, diagnostics, cancellation);
        translator.ReadFacts(declaration);
        for (int i = 0; i < arguments.Count; i++)
            translator._values[step.Parameters[arguments[i].Parameter]] = translator._graph.Input(arguments[i].Type.Element, arguments[i].Shape.ToArray(), i, arguments[i].Name);

        // The returned expression is translated even after a bad statement, so all errors show at once.
        var returned = translator.TranslateBody(declaration);
        if (returned is null)
            return null;
        var results = translator.TranslateResults(returned, outputs, hasCondition);
        if (results is null || translator._failed)
            return null;
        if (!translator.PrintsReachResults(results))
            return null;
        int condition = hasCondition ? results[results.Count - 1] : -1;
        if (hasCondition) results.RemoveAt(results.Count - 1);
        return (new StepGraph(step.Name, arguments.ToEquatableArray(), translator.StepNodes(), results.ToEquatableArray(), condition),
            translator._sizeChecks);
    }

    // ---- Statements -------------------------------------------------------------------------------------------

    /// <summary>Runs the body's statements and returns the expression it returns.</summary>
    private ExpressionSyntax? TranslateBody(MethodDeclarationSyntax declaration)
    {
        if (declaration.ExpressionBody is { } arrow)
            return arrow.Expression;
        var statements = declaration.Body!.Statements;
        for (int i = 0; i < statements.Count; i++)
        {
            _cancellation.ThrowIfCancellationRequested();
            var statement = statements[i];
            bool last = i == statements.Count - 1;
            switch (statement)
            {
                case ReturnStatementSyntax { Expression: { } expression } when last:
                    return expression;
                case LocalDeclarationStatementSyntax local when local.IsConst:
                    break; // its uses are compile-time constants
                case LocalDeclarationStatementSyntax local:
                    foreach (var variable in local.Declaration.Variables)
                        if (variable.Initializer is { } initializer && _model.GetDeclaredSymbol(variable, _cancellation) is { } symbol)
                            _values[symbol] = Translate(initializer.Value);
                    break;
                case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                    TranslateAssignment(assignment);
                    break;
                case EmptyStatementSyntax:
                    break;
                default:
                    Unsupported(statement, "the statement", last
                        ? "a block-bodied step method ends with 'return <expression>;'"
                        : "use local declarations, assignments to locals, and one final 'return'");
                    break;
            }
        }
        Unsupported(declaration.Body!, "the body", "a block-bodied step method ends with 'return <expression>;'");
        return null;
    }

    private void TranslateAssignment(AssignmentExpressionSyntax assignment)
    {
        var target = _model.GetSymbolInfo(assignment.Left, _cancellation).Symbol;
        if (target is not (ILocalSymbol or IParameterSymbol))
        {
            Unsupported(assignment.Left, "the assignment target", "only locals and step parameters can be assigned");
            return;
        }
        if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression))
        {
            _values[target] = Translate(assignment.Right);
            return;
        }
        if (!_values.TryGetValue(target, out var current))
            return; // a compound assignment to an unassigned local: the C# compiler reports it (CS0165)
        // x op= y computes x = (T)(x op y) with the operator C# picked.
        string token = assignment.OperatorToken.Text.TrimEnd('=');
        var targetType = TypeOf(assignment.Left, _model.GetTypeInfo(assignment.Left, _cancellation).Type);
        if (_model.GetSymbolInfo(assignment, _cancellation).Symbol is not IMethodSymbol { Parameters.Length: 2 } op
            || !OpTable.TryGetOperator(token, 2, out var kind)
            || TypeOf(assignment, op.ReturnType) is not { } resultType
            || TypeOf(assignment.Left, op.Parameters[0].Type) is not { } leftType
            || targetType is null)
        {
            Unsupported(assignment, "the compound assignment", "write it as 'x = x op y' with numeric operands");
            return;
        }
        int right = Translate(assignment.Right);
        int result = Apply(kind, assignment, resultType, -1, [ConvertTo(current, leftType, assignment.Left), right]);
        _values[target] = ConvertTo(result, targetType, assignment);
    }

    /// <summary>
    /// Reports each print whose value no result needs: every engine computes only what the results need (Theano's
    /// rule), so such a print would print nothing in the interpreter and the monitored modes.
    /// </summary>
    private bool PrintsReachResults(List<int> results)
    {
        if (_observers.Count == 0) return true;
        var reached = new bool[_graph.Nodes.Count];
        var pending = new Stack<int>(results);
        while (pending.Count > 0)
        {
            int id = pending.Pop();
            if (reached[id]) continue;
            reached[id] = true;
            foreach (var input in _graph.Nodes[id].Inputs) pending.Push(input);
        }
        bool ok = true;
        foreach (var observer in _observers.Where(o => !reached[o.Key]).OrderBy(o => o.Key))
        {
            ok = false;
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedPrint, observer.Value.GetLocation(), _step.Name, Label(observer.Value)));
        }
        return ok;
    }

    /// <summary>The nodes of the outputs (and shared updates), then of the stop condition if there is one.</summary>
    private List<int>? TranslateResults(ExpressionSyntax returned, IReadOnlyList<ScanOutput> outputs, bool hasCondition)
    {
        int count = outputs.Count + (hasCondition ? 1 : 0);
        var elements = count == 1 ? new[] { returned }
            : Unparenthesize(returned) is TupleExpressionSyntax tuple && tuple.Arguments.Count == count ? tuple.Arguments.Select(a => a.Expression).ToArray()
            : null;
        if (elements is null)
        {
            Unsupported(returned, "the returned expression", $"return a tuple literal of {count} values, e.g. '(a, b)'");
            return null;
        }
        var results = new List<int>();
        for (int i = 0; i < outputs.Count; i++)
            results.Add(ConvertTo(Translate(elements[i]), outputs[i].ElementType, elements[i]));
        if (hasCondition)
            results.Add(TranslateCondition(elements[count - 1]));
        return results;
    }

    /// <summary>The stop condition, written <c>Until.When(condition)</c> or <c>new Until(condition)</c>.</summary>
    private int TranslateCondition(ExpressionSyntax expression)
    {
        var argument = Unparenthesize(expression) switch
        {
            InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } call
                when _model.GetSymbolInfo(call, _cancellation).Symbol is IMethodSymbol { Name: "When" } m && TypeMapping.IsUntil(m.ContainingType) => call.ArgumentList.Arguments[0].Expression,
            BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } creation => creation.ArgumentList.Arguments[0].Expression,
            _ => null,
        };
        if (argument is null)
            return Unsupported(expression, "the stop condition", "write it 'Until.When(condition)' with a bool condition");
        int node = Translate(argument);
        if (node >= 0 && TypeOf(node) != new TypeRef(ElementKind.Bool))
            return Unsupported(argument, "the stop condition", "the condition must be a bool scalar");
        return node;
    }

    private static ExpressionSyntax Unparenthesize(ExpressionSyntax e)
    {
        while (e is ParenthesizedExpressionSyntax p) e = p.Expression;
        return e;
    }

    // ---- Expressions ------------------------------------------------------------------------------------------

    /// <summary>
    /// Translates an expression, then applies the conversion C# applies to it in its context. The walk keeps its own
    /// stack of expressions waiting for their operands (as Roslyn's binder does for long binary chains), so a body
    /// of any length or depth costs no call stack: <c>a + a + ... + b</c> with 10,000 terms is 10,000 entries of that stack.
    /// </summary>
    private int Translate(ExpressionSyntax root)
    {
        var waiting = new Stack<Pending>();
        var expression = root;
        while (true)
        {
            _cancellation.ThrowIfCancellationRequested();
            var pending = Plan(expression, out int node);
            if (pending is not null && pending.Operands.Length > 0)
            {
                waiting.Push(pending);
                expression = pending.Operands[0];
                continue;
            }
            node = Converted(expression, pending is null ? node : pending.Finish(pending.Results), waiting.Count == 0);
            // Hand the node to the expression waiting for it; finish every expression whose operands are all in.
            while (true)
            {
                if (waiting.Count == 0)
                    return node;
                var parent = waiting.Peek();
                parent.Results[parent.Next++] = node;
                if (parent.Next < parent.Operands.Length)
                {
                    expression = parent.Operands[parent.Next];
                    break;
                }
                waiting.Pop();
                node = Converted(parent.Expression, parent.Finish(parent.Results), waiting.Count == 0);
            }
        }
    }

    /// <summary>An expression whose node is made by <see cref="Finish"/> from the nodes of its operands.</summary>
    private sealed class Pending(ExpressionSyntax expression, ExpressionSyntax[] operands, Func<int[], int> finish)
    {
        public ExpressionSyntax Expression { get; } = expression;
        public ExpressionSyntax[] Operands { get; } = operands;
        public Func<int[], int> Finish { get; } = finish;
        public int[] Results { get; } = new int[operands.Length];
        public int Next { get; set; }
    }

    /// <summary>The conversion C# applies to an expression in its context (for an operand, as its operation reads).</summary>
    private int Converted(ExpressionSyntax expression, int node, bool root)
    {
        if (node < 0)
            return node;
        var converted = !root && _facts.TryGetValue(Unparenthesize(expression), out var fact) ? ConvertedFact(expression, fact)
            : _model.GetTypeInfo(expression, _cancellation).ConvertedType;
        return converted is null ? node : ConvertTo(node, TypeOf(expression, converted), expression);
    }

    /// <summary>An expression's node (<paramref name="node"/>, returning null) or what it waits for.</summary>
    private Pending? Plan(ExpressionSyntax expression, out int node)
    {
        node = -1;
        var resultType = TypeFact(expression);
        var constant = _facts.TryGetValue(Unparenthesize(expression), out var fact) ? fact.Constant : _model.GetConstantValue(expression, _cancellation);
        if (constant.HasValue)
        {
            var type = TypeOf(expression, resultType);
            node = type is null ? -1 : Constant(constant.Value, type, expression);
            return null;
        }
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return new Pending(expression, [parenthesized.Expression], r => r[0]);

            case IdentifierNameSyntax identifier:
                var symbol = SymbolFact(identifier);
                node = symbol is not null && _values.TryGetValue(symbol, out var value) ? value
                    : Unsupported(identifier, "the name", "a step method can read only its parameters, its locals and constants");
                return null;

            case BinaryExpressionSyntax binary:
                string token = binary.OperatorToken.Text switch { "&&" => "&", "||" => "|", var t => t };
                if (OpTable.TryGetOperator(token, 2, out var binaryOp))
                    return Node(binaryOp, expression, resultType, binary.Left, binary.Right);
                node = Unsupported(binary, "the operator", "use arithmetic, comparison or logical operators");
                return null;

            case PrefixUnaryExpressionSyntax unary when unary.OperatorToken.Text == "+":
                return new Pending(expression, [unary.Operand], r => r[0]);

            case PrefixUnaryExpressionSyntax unary when OpTable.TryGetOperator(unary.OperatorToken.Text, 1, out var unaryOp):
                return Node(unaryOp, expression, resultType, unary.Operand);

            case ConditionalExpressionSyntax conditional:
                return Node(Op.Select, expression, resultType, conditional.Condition, conditional.WhenTrue, conditional.WhenFalse);

            case CastExpressionSyntax cast:
                return new Pending(expression, [cast.Expression], r =>
                {
                    var castType = TypeOf(expression, resultType);
                    return r[0] < 0 || castType is null ? -1 : ConvertTo(r[0], castType, expression);
                });

            case InvocationExpressionSyntax invocation:
                var method = SymbolFact(invocation) as IMethodSymbol;
                var args = invocation.ArgumentList.Arguments.Select(a => a.Expression).ToArray();
                if (method?.ContainingType?.ToDisplayString() is "System.Math" or "System.MathF"
                    && OpTable.TryGetMathFunction(method.Name, args.Length, out var mathOp))
                    return Node(mathOp, expression, resultType, args);
                if (method?.ContainingType?.ToDisplayString() == "SymGen.Sym" && OpTable.TryGetSymFunction(method.Name, out var symOp))
                {
                    // Reductions take an optional constant axis after the tensor.
                    if (OpTable.Get(symOp).HasAxis && args.Length == 2)
                    {
                        if (_model.GetConstantValue(args[1], _cancellation).Value is int axis)
                            return Node(symOp, expression, resultType, axis, args[0]);
                        node = Unsupported(args[1], "the axis", "the axis of a reduction must be the constant 0 or 1");
                        return null;
                    }
                    // Print takes its label after the value: a constant string, written at every step.
                    if (OpTable.Get(symOp).HasText && args.Length == 2)
                    {
                        if (_model.GetConstantValue(args[1], _cancellation).Value is string text)
                            return new(expression, [args[0]], r => r[0] < 0 || TypeOf(expression, resultType) is not { } printed ? -1
                                : Apply(symOp, expression, printed, -1, r, text));
                        node = Unsupported(args[1], "the label", "the label of Sym.Print must be a constant string (a literal or a const)");
                        return null;
                    }
                    return Node(symOp, expression, resultType, args);
                }
                // m.Row(i) is m[i]: the Index op.
                if (method is { Name: "Row", Parameters.Length: 1 } && TypeMapping.Value(method.ContainingType) is { Rank: 2 }
                    && invocation.Expression is MemberAccessExpressionSyntax rowOf)
                    return Indexing(expression, rowOf.Expression, args[0], resultType, out node);
                node = Unsupported(invocation, "the call", "a step method can call the System.Math, System.MathF and SymGen.Sym functions listed in docs/step-methods.md");
                return null;

            case ElementAccessExpressionSyntax access:
                if (TypeMapping.Value(TypeFact(access.Expression)) is not { Rank: 1 or 2 })
                    node = Unsupported(access, "the element access", "only a Vec<T> (x[i]: an element) or a Mat<T> (m[i]: a row) can be indexed in a step");
                else if (access.ArgumentList.Arguments.Count != 1)
                    node = Unsupported(access, "the element access", "index with one int or long; for an element of a matrix write m[i][j]");
                else
                    return Indexing(expression, access.Expression, access.ArgumentList.Arguments[0].Expression, resultType, out node);
                return null;

            default:
                node = Unsupported(expression, "the expression", "see docs/step-methods.md for what a step method can contain");
                return null;
        }
    }

    /// <summary>
    /// <c>x[i]</c> on a vector (an element) or a matrix (a row), for an <c>int</c> or <c>long</c> index as C# passes
    /// it (after the conversion to the indexer's parameter); <c>^i</c> is a <c>System.Index</c>, not an integer.
    /// </summary>
    private Pending? Indexing(ExpressionSyntax expression, ExpressionSyntax target, ExpressionSyntax index, ITypeSymbol? resultType, out int node)
    {
        node = -1;
        if (TypeMapping.Scalar(_model.GetTypeInfo(index, _cancellation).ConvertedType) is { Element: ElementKind.Int32 or ElementKind.Int64 })
            return Node(Op.Index, expression, resultType, target, index);
        node = Unsupported(index, "the index", "an index is an int or a long (indices from the end, '^i', are not supported)");
        return null;
    }

    /// <summary>What C# says of an expression: its type, its conversion in context, its constant value, the symbol it names.</summary>
    private sealed record Fact(ITypeSymbol? Type, Optional<object?> Constant, ISymbol? Symbol);

    /// <summary>
    /// Reads the body's operation tree once, for the facts of every expression. Asking the semantic model node by
    /// node walks up from each node to its method: quadratic in the depth of a long chain like <c>a + a + ... + b</c>.
    /// An expression the tree does not show is asked of the semantic model.
    /// </summary>
    private void ReadFacts(MethodDeclarationSyntax declaration)
    {
        if (_model.GetOperation(declaration, _cancellation) is not { } body)
            return;
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            _cancellation.ThrowIfCancellationRequested();
            var operation = pending.Pop();
            // Top down: the outermost implicit conversion of an expression is the one its context applies.
            if (operation is IConversionOperation { IsImplicit: true })
            {
                if (!_conversions.ContainsKey(operation.Syntax)) _conversions[operation.Syntax] = operation.Type;
            }
            else if (operation.Type is not null && !_facts.ContainsKey(operation.Syntax))
                _facts[operation.Syntax] = new Fact(operation.Type, operation.ConstantValue, operation switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    IInvocationOperation call => call.TargetMethod,
                    _ => null,
                });
            foreach (var child in operation.ChildOperations) pending.Push(child);
        }
    }

    /// <summary>The type an operand is converted to: a conversion of it, or of a parenthesized form, else its type.</summary>
    private ITypeSymbol? ConvertedFact(ExpressionSyntax expression, Fact fact)
    {
        for (var e = expression; ; e = ((ParenthesizedExpressionSyntax)e).Expression)
        {
            if (_conversions.TryGetValue(e, out var converted))
                return converted;
            if (e is not ParenthesizedExpressionSyntax)
                return fact.Type;
        }
    }

    private ITypeSymbol? TypeFact(ExpressionSyntax expression) =>
        _facts.TryGetValue(Unparenthesize(expression), out var fact) ? fact.Type : _model.GetTypeInfo(expression, _cancellation).Type;

    private ISymbol? SymbolFact(ExpressionSyntax expression) =>
        _facts.TryGetValue(expression, out var fact) && fact.Symbol is not null ? fact.Symbol : _model.GetSymbolInfo(expression, _cancellation).Symbol;

    private Pending Node(Op op, ExpressionSyntax expression, ITypeSymbol? resultType, params ExpressionSyntax[] operands) =>
        Node(op, expression, resultType, -1, operands);

    private Pending Node(Op op, ExpressionSyntax expression, ITypeSymbol? resultType, int axis, params ExpressionSyntax[] operands) =>
        new(expression, operands, inputs => MakeNode(op, expression, resultType, axis, inputs));

    private int MakeNode(Op op, ExpressionSyntax expression, ITypeSymbol? resultType, int axis, int[] inputs)
    {
        var type = TypeOf(expression, resultType);
        if (type is null || inputs.Any(i => i < 0))
            return -1;
        return Apply(op, expression, type, axis, inputs);
    }

    /// <summary>
    /// The node of <paramref name="op"/>, made by the builder with the op table's type and shape rules; C#'s type of
    /// the expression must be the one the rules give (the rules are C#'s), else the expression is reported.
    /// </summary>
    private int Apply(Op op, SyntaxNode expression, TypeRef? csharpType, int axis, IReadOnlyList<int> inputs, string? text = null)
    {
        if (csharpType is null || inputs.Any(i => i < 0))
            return -1;
        int node = _graph.Apply(op, axis, inputs, text, Label(expression), out var error);
        if (node < 0)
            return Unsupported(expression, "the expression", error!);
        if (OpTable.Get(op).Effect != OpEffect.Pure) _observers[node] = expression;
        if (TypeOf(node) != csharpType)
            return Unsupported(expression, "the expression", $"the op table types {OpTable.Get(op).Name} as '{TypeOf(node)}', but C# types it as '{csharpType}'");
        return node;
    }

    /// <summary>A node's type: its element kind and rank.</summary>
    private TypeRef TypeOf(int node) => new(_graph.Nodes[node].Kind, _graph.Nodes[node].Shape.Length);

    /// <summary>The built nodes as the model's equatable records.</summary>
    private EquatableArray<StepNode> StepNodes() => _graph.Nodes.Select(n => new StepNode(n.Id, n.Op, new TypeRef(n.Kind, n.Shape.Length),
        n.Inputs.ToEquatableArray(), n.Literal, n.Argument, n.Label, n.Axis, n.Shape.ToEquatableArray())).ToEquatableArray();

    private TypeRef? TypeOf(SyntaxNode at, ITypeSymbol? type)
    {
        if (TypeMapping.Value(type) is { Rank: <= 2 } value)
            return value;
        Unsupported(at, "a value of type", "step values are 'double', 'float', 'int', 'long', 'bool', or a 'Vec<T>' or 'Mat<T>' of float or double", TypeMapping.Display(type));
        return null;
    }

    private int ConvertTo(int node, TypeRef? type, SyntaxNode at)
    {
        if (node < 0 || type is null || TypeOf(node) == type)
            return node;
        var source = TypeOf(node);
        if (source.Rank != 0 || type.Rank != 0)
            return Unsupported(at, "the conversion", $"SymGen converts scalars only, not '{source}' to '{type}'");
        return _graph.Convert(node, type.Element, $"({type}){_graph.Nodes[node].Label}", out _);
    }

    // ---- Constants --------------------------------------------------------------------------------------------

    private int Constant(object? value, TypeRef type, SyntaxNode at)
    {
        var literal = Literal(value, type);
        if (literal is null || type.Rank != 0)
            return Unsupported(at, "the constant", "constants are numbers or booleans");
        return _graph.Constant(ElementKinds.ParseLiteral(literal, type.Element), type.Element, Label(at));
    }

    /// <summary>
    /// A C# literal for a constant of the given type, culture-invariant and round-tripping. Roslyn gives a constant
    /// of the expression's own type; another numeric constant (a char, a byte) is read as its number first.
    /// </summary>
    internal static string? Literal(object? value, TypeRef type)
    {
        if (value is null || value is string || (value is bool) != (type.Element == ElementKind.Bool)) return null;
        if (ElementKinds.Of(value) is null)
        {
            if (value is not IConvertible number) return null;
            value = ElementKinds.IsFloatingPoint(type.Element) ? number.ToDouble(CultureInfo.InvariantCulture) : number.ToInt64(CultureInfo.InvariantCulture);
        }
        return ElementKinds.Literal(value, type.Element);
    }

    // ---- Bookkeeping ------------------------------------------------------------------------------------------

    private int Unsupported(SyntaxNode node, string what, string hint, string? text = null)
    {
        _failed = true;
        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, node.GetLocation(),
            _step.Name, what, text ?? Label(node), OutsideValueHint(node) ?? hint));
        return -1;
    }

    /// <summary>For a field or property the step reads from outside (a shared variable's Value, say): how to pass it in.</summary>
    private string? OutsideValueHint(SyntaxNode node)
    {
        if (node is not ExpressionSyntax expression || _model.GetSymbolInfo(expression, _cancellation).Symbol is not (IFieldSymbol or IPropertySymbol { IsIndexer: false }))
            return null;
        if (expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Value" } access
            && _model.GetTypeInfo(access.Expression, _cancellation).Type is { } sharedType && TypeMapping.SharedValue(sharedType) is { } value)
            return $"a step reads only its parameters, so it cannot read shared variable '{access.Expression}' itself: give the scan a " +
                   $"'{TypeMapping.Display(sharedType)}' parameter (pass '{access.Expression}' to it), and the step a '{value}' parameter in its place, " +
                   "which receives the variable's value (see docs/step-methods.md)";
        return $"a step reads only its parameters, its locals and constants: make '{Label(expression)}' a 'const', or give the scan a parameter " +
               "(a non-sequence) to pass it to, and the step a parameter in its place, which receives it";
    }

    private const int MaxLabelLength = 60;

    /// <summary>
    /// The node's source text on one line, short enough for a comment. It reads only the characters it shows, so
    /// labelling every node of a long expression costs time linear in the body (a node's whole text would be
    /// quadratic: each operand of a chain would copy the text of all the operands before it).
    /// </summary>
    private static string Label(SyntaxNode node)
    {
        var text = node.SyntaxTree.GetText();
        // Span walks down a node's first operands to skip leading trivia (the depth of a chain); a long node is
        // read from its full span instead, past the whitespace before it. A comment there, or text that ends
        // before the label is full (trailing trivia would show), takes the exact span.
        var full = node.FullSpan;
        if (full.Length > 4 * MaxLabelLength)
        {
            int start = full.Start;
            while (start < full.End && char.IsWhiteSpace(text[start])) start++;
            if (start < full.End && text[start] != '/' && Label(text, TextSpan.FromBounds(start, full.End)) is { Length: > MaxLabelLength } label)
                return Shortened(label);
        }
        var exact = Label(text, node.Span);
        return exact.Length <= MaxLabelLength ? exact : Shortened(exact);
    }

    /// <summary>A label cut to its length with an ellipsis, never between the halves of a surrogate pair.</summary>
    private static string Shortened(string label)
    {
        int cut = char.IsHighSurrogate(label[MaxLabelLength - 4]) ? MaxLabelLength - 4 : MaxLabelLength - 3;
        return label.Substring(0, cut) + "...";
    }

    /// <summary>The text of <paramref name="span"/> with whitespace runs as one space, up to one character more than a label holds.</summary>
    private static string Label(SourceText text, TextSpan span)
    {
        var label = new System.Text.StringBuilder();
        bool space = false;
        for (int i = span.Start; i < span.End && label.Length <= MaxLabelLength; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space) label.Append(' ');
            space = false;
            label.Append(c);
        }
        return label.ToString();
    }
}
