using System.Collections.Generic;
using SymGen.Generator.Model;
using SymGen.Generator.Parsing;
using SymGen.Generator.Planning;

namespace SymGen.Generator.Emitting;

internal sealed partial class ScanWriter
{
    /// <summary>For each precomputed node (by node id): the span holding its row for every step.</summary>
    private readonly Dictionary<int, (string Rows, string Width)> _precomputed = new();

    /// <summary>
    /// The plan's precomputed products (<see cref="LoopPlan.Precomputed"/>), before the loop: the rows of the sequence
    /// the steps read, as one matrix X (steps x K), times the matrix: X Mᵀ for Dot(M, x) (Mᵀ copied once), X M for
    /// Dot(x, M), with <c>Kernels.MatMul</c>. Step t then reads row t (going backwards, row steps - 1 - t).
    /// </summary>
    private void WritePrecomputed()
    {
        if (_plan.Precomputed.Count == 0) return;
        _w.WriteLineNoTabs("");
        _w.WriteLine("// Products that do not depend on the recurrent state, for every step at once (one matrix product over the");
        _w.WriteLine("// sequence's rows, before the loop); each step reads its row instead of computing a mat-vec.");
        foreach (var product in _plan.Precomputed)
        {
            var node = _step.Nodes[product.Node];
            var element = node.Type.ElementKeyword;
            var row = _step.Arguments[product.Sequence];
            var sequence = _scan.Sequences[row.Index];
            var matrix = _step.Arguments[product.Matrix];
            var trace = InTrace(product);
            string rows = trace is int t ? _traceRows[t] : _names.Fresh(_nodeNames[node.Id] + "Rows");
            string width = trace is int u ? _widths[u]! : _names.Fresh(_nodeNames[node.Id] + "Width");
            _precomputed[node.Id] = (rows, width);
            string k = Size(row.Shape), matrixSpan = _argumentNames[product.Matrix];
            string m0 = matrix.Shape[0].Expression, m1 = matrix.Shape[1].Expression;
            string sequenceRows = _rows[row.Index];
            // The first row step 0..steps-1 reads, in order (SequenceIndex at t = 0 going forwards, at t = steps - 1 going backwards).
            string first = !_scan.GoBackwards
                ? (row.Tap - sequence.LowestTap).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : $"{RowCount(sequence.Parameter, sequence.Container, sequenceRows)} - {1 + sequence.HighestTap - row.Tap} - ({_steps} - 1)";
            _w.WriteLine($"// {_nodeNames[node.Id]} = {CSharpText.Comment(node.Label)} for every step: the rows of {sequence.Parameter} the steps read, as a matrix, times {(product.MatrixFirst ? "the transpose of " : "")}{_scan.NonSequences[matrix.Index].Parameter}");
            if (trace is int o)
            {
                // Row t of the trace holds the product until step t's fused loop overwrites it, element by element.
                _w.WriteLine($"// (into the trace's rows: step t's loop reads row t and overwrites it with {_scan.Outputs[o].Name}[t])");
            }
            else
            {
                _w.WriteLine($"int {width} = {Size(node.Shape)};");
                _w.WriteLine($"{Runtime}.RequireTraceFits({_steps}, {width}, {CSharpText.Literal(_scan.Steps?.Parameter ?? _scan.Sequences[0].Parameter)});");
                _w.WriteLine(HasDestinations
                    ? SpanDeclaration(rows, element, $"{_steps} * {width}")
                    : $"global::System.Span<{element}> {rows} = global::System.GC.AllocateUninitializedArray<{element}>({_steps} * {width});");
            }
            string operand = matrixSpan;
            if (product.MatrixFirst)
            {
                operand = _names.Fresh(_scan.NonSequences[matrix.Index].Parameter + "Transposed");
                _w.WriteLine(SpanDeclaration(operand, element, $"{m0} * {m1}"));
                _w.WriteLine($"{Kernels}.Transpose<{element}>({matrixSpan}, global::SymGen.Dims.Matrix({m0}, {m1}), {operand});");
            }
            var offset = first == "0" ? "0" : $"({first}) * {k}";
            var destination = trace is null ? rows : $"{rows}.Slice(0, {_steps} * {width})";
            _w.WriteLine($"{Kernels}.MatMul<{element}>({sequenceRows}.Slice({offset}, {_steps} * {k}), {_steps}, {k}, {operand}, {width}, {destination});");
        }
    }

    /// <summary>For each packed step argument (a non-sequence matrix): the name of its <c>PackedMatrix</c>.</summary>
    private readonly Dictionary<int, string> _packed = new();

    /// <summary>
    /// The plan's packed matrices (<see cref="LoopPlan.Packed"/>), before the loop: each laid out once as a
    /// <c>PackedMatrix</c> for the mat-vecs of every step, its storage back to the pool when the method returns.
    /// </summary>
    private void WritePacked()
    {
        if (_plan.Packed.Count + _plan.PackedColumns.Count == 0) return;
        _w.WriteLineNoTabs("");
        _w.WriteLine("// Matrices multiplied at every step, laid out once (aligned blocks of four rows for W x, strips of columns for");
        _w.WriteLine("// A M and x M): each step's product reads one stream. The same values as on the matrix as given; fewer than");
        _w.WriteLine("// four steps keep it as given.");
        foreach (int index in _plan.Packed)
            _packed[index] = WritePack(index, "Packed", "Pack");
        foreach (int index in _plan.PackedColumns)
            _packedColumns[index] = WritePack(index, "Columns", "PackColumns");

        string WritePack(int index, string suffix, string method)
        {
            var matrix = _step.Arguments[index];
            var name = _names.Fresh(_scan.NonSequences[matrix.Index].Parameter + suffix);
            _w.WriteLine($"using var {name} = global::SymGen.PackedMatrix<{matrix.Type.ElementKeyword}>.{method}({_argumentNames[index]}, " +
                         $"{matrix.Shape[0].Expression}, {matrix.Shape[1].Expression}, {_steps});");
            return name;
        }
    }

    /// <summary>For each step argument packed by column strips: the name of its <c>PackedMatrix</c>.</summary>
    private readonly Dictionary<int, string> _packedColumns = new();

    /// <summary>
    /// A per-step product with a packed matrix: <c>Dot(M, v)</c> as the mat-vec on row blocks, <c>Dot(A, M)</c> and
    /// <c>Dot(v, M)</c> as MatMul and VecMat on column strips; false for any other node.
    /// </summary>
    private bool WritePackedProduct(StepNode node, string destination)
    {
        var element = node.Type.ElementKeyword;
        if (_plan.PackedMatrixOf(_step, node) is int index && _packed.TryGetValue(index, out var packed))
        {
            _w.WriteLine($"{Kernels}.MatVec<{element}>(in {packed}, {_nodeNames[node.Inputs[1]]}, {destination});");
            return true;
        }
        if (_plan.ColumnPackedMatrixOf(_step, node) is int right && _packedColumns.TryGetValue(right, out var columns))
        {
            var left = _step.Nodes[node.Inputs[0]];
            var leftName = _nodeNames[left.Id];
            _w.WriteLine(left.Type.Rank == 1
                ? $"{Kernels}.VecMat<{element}>({leftName}, in {columns}, {destination});"
                : $"{Kernels}.MatMul<{element}>({leftName}, {left.Shape[0]}, {left.Shape[1]}, in {columns}, {destination});");
            return true;
        }
        return false;
    }

    /// <summary>Whether a node's product reads a packed matrix (for its comment).</summary>
    private bool ReadsPackedMatrix(StepNode node) =>
        _plan.PackedMatrixOf(_step, node) is int a && _packed.ContainsKey(a) || _plan.ColumnPackedMatrixOf(_step, node) is int b && _packedColumns.ContainsKey(b);

    /// <summary>
    /// The output whose trace rows hold a precomputed product (<see cref="PrecomputedProduct.Trace"/>): going
    /// forwards (step t reads row t), into a trace of every step allocated before the loop; else null (an array of its own).
    /// </summary>
    private int? InTrace(PrecomputedProduct product) =>
        product.Trace >= 0 && !_scan.GoBackwards && KeepsTrace(product.Trace) && _segmentStart is null && _capacity is null
            ? product.Trace : null;

    /// <summary>A precomputed node in the loop: its row for this step.</summary>
    private void WritePrecomputedRow(StepNode node)
    {
        var (rows, width) = _precomputed[node.Id];
        var name = _nodeNames[node.Id];
        var row = _scan.GoBackwards ? $"({_steps} - 1 - {_t})" : _t;
        _w.WriteLine($"// {name} = {CSharpText.Comment(node.Label)}  (Dot, precomputed before the loop: it does not depend on the recurrent state)");
        _w.WriteLine($"global::System.ReadOnlySpan<{node.Type.ElementKeyword}> {name} = {rows}.Slice({row} * {width}, {width});");
    }
}
