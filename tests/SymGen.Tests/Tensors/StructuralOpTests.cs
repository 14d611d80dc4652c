using System;
using System.Linq;
using CsCheck;
using SymGen.Graph;
using SymGen.Tests.Graphs;
using Xunit;
using static SymGen.Tests.Tensors.TensorTestData;

namespace SymGen.Tests.Tensors;

/// <summary>
/// Transpose, Outer, Diagonal, Trace and integer indexing in every layer: eager (Sym, the indexers, the kernels)
/// against naive loops; inside scans, generated and interpreted, against plain C# loops on random inputs; and their
/// errors, the same from the step method called directly, the generated loop and the interpreter.
/// </summary>
public class StructuralOpTests
{
    // ---- Naive references -----------------------------------------------------------------------------------------

    private static double[,] NaiveTranspose(Mat<double> x)
    {
        var result = new double[x.Columns, x.Rows];
        for (int r = 0; r < x.Rows; r++)
            for (int c = 0; c < x.Columns; c++)
                result[c, r] = x[r, c];
        return result;
    }

    private static double[,] NaiveOuter(Vec<double> a, Vec<double> b)
    {
        var result = new double[a.Length, b.Length];
        for (int i = 0; i < a.Length; i++)
            for (int j = 0; j < b.Length; j++)
                result[i, j] = a[i] * b[j];
        return result;
    }

    private static double[] NaiveDiagonal(Mat<double> x) => Enumerable.Range(0, x.Rows).Select(i => x[i, i]).ToArray();

    private static double NaiveTrace(Mat<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Rows; i++) sum += x[i, i];
        return sum;
    }

    private static void Same(double[,] expected, Mat<double> actual, string what)
    {
        Assert.Equal((expected.GetLength(0), expected.GetLength(1)), (actual.Rows, actual.Columns));
        Close(((Mat<double>)expected).Span, actual.Span, what);
    }

    private static Gen<Mat<double>> Square(int n) => Matrix(n, n);

    private static Gen<int[]> Indices(int steps, int below) => Gen.Int[0, below - 1].Array[steps];

    // ---- Eager --------------------------------------------------------------------------------------------------

    [Fact]
    public void EagerTransposeAgainstANaiveLoop() =>
        // Up to 70 x 70: several 32 x 32 tiles, and partial ones at both edges.
        Gen.Select(Gen.Int[0, 70], Gen.Int[0, 70]).SelectMany((r, c) => Matrix(r, c)).Sample(x =>
        {
            var t = Sym.Transpose(x);
            Same(NaiveTranspose(x), t, "Transpose");
            Assert.Equal(x, Sym.Transpose(t));
        }, iter: 200);

    [Fact]
    public void EagerOuterDiagonalAndTraceAgainstNaiveLoops()
    {
        Gen.Select(Gen.Int[0, 12], Gen.Int[0, 12]).SelectMany((n, m) => Gen.Select(Vector(n), Vector(m)))
            .Sample((a, b) => Same(NaiveOuter(a, b), Sym.Outer(a, b), "Outer"));
        Gen.Int[0, 12].SelectMany(Square).Sample(x =>
        {
            Close(NaiveDiagonal(x), Sym.Diagonal(x).Span, "Diagonal");
            Assert.Equal(NaiveTrace(x), Sym.Trace(x)); // summed in the same order: the same bits
        });
        // In float too.
        var f = new Mat<float>([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Equal(new Mat<float>([1f, 4f, 2f, 5f, 3f, 6f], 3, 2), Sym.Transpose(f));
        Assert.Equal(5f, Sym.Trace(new Mat<float>([1f, 2f, 3f, 4f], 2, 2)));
    }

    [Fact]
    public void EagerIndexingReadsElementsAndRowViews() =>
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 8]).SelectMany((r, c) => Gen.Select(Matrix(r, c), Gen.Int[0, r - 1], Gen.Int[0, c - 1]))
            .Sample((m, i, j) =>
            {
                var row = m[i];
                Assert.Equal(m.Span.Slice(i * m.Columns, m.Columns).ToArray(), row.ToArray());
                Assert.Equal(row, m[(long)i]);
                Assert.Equal(row, m.Row(i));
                Assert.Equal(m[i, j], row[j]);
                Assert.Equal(row[j], row[(long)j]);
                // A row is a view: writing through the matrix shows in it.
                m.Span[i * m.Columns + j] = 42;
                Assert.Equal(42, row[j]);
            });

    [Fact]
    public void KernelEntriesCheckTheirOperands()
    {
        double[] m = [1, 2, 3, 4, 5, 6];
        Assert.Equal(6.0 + 4.0, Kernels.Index<double>(m, Dims.Vector(6), 5L) + Kernels.Index<double>(m, Dims.Vector(6), 3));
        var row = new double[3];
        Kernels.Index<double>(m, Dims.Matrix(2, 3), 1, row);
        Assert.Equal([4.0, 5, 6], row);
        Assert.Contains("square matrix", Assert.Throws<ArgumentException>(() => Kernels.Trace<double>(m, Dims.Matrix(2, 3))).Message);
        Assert.Contains("square matrix", Assert.Throws<ArgumentException>(() => Kernels.Diagonal<double>(m, Dims.Matrix(3, 2), new double[3])).Message);
        Assert.Throws<ArgumentException>(() => Kernels.Transpose<double>(m, Dims.Vector(6), new double[6]));
        Assert.Throws<ArgumentException>(() => Kernels.Outer<double>(m, Dims.Vector(6), m, Dims.Vector(6), new double[35]));
        Assert.Throws<ArgumentException>(() => Kernels.Index<double>(m, Dims.Vector(5), 0)); // the span does not fit its Dims
    }

    [Fact]
    public void EagerShapeErrorsUseTheShapeRulesWords()
    {
        var nonSquare = Mat<double>.Zeros(2, 3);
        Assert.Equal("Trace: the rows and the columns of a square matrix must be equal; they are 2 and 3.",
            Assert.Throws<ArgumentException>(() => Sym.Trace(nonSquare)).Message);
        Assert.Equal("Diagonal: the rows and the columns of a square matrix must be equal; they are 2 and 3.",
            Assert.Throws<ArgumentException>(() => Sym.Diagonal(nonSquare)).Message);
    }

    [Fact]
    public void AnIndexOutsideTheTensorThrowsWithTheIndexAndTheLength()
    {
        var v = new Vec<double>([1.0, 2, 3]);
        var m = Mat<double>.Zeros(2, 3);
        var element = Assert.Throws<ArgumentOutOfRangeException>(() => v[3]);
        Assert.Equal("index", element.ParamName);
        Assert.StartsWith("Index 3 is outside a vector of 3 element(s).", element.Message);
        Assert.Equal(-1L, Assert.Throws<ArgumentOutOfRangeException>(() => v[-1]).ActualValue);
        // A long index is checked in full, not truncated to an int (2^32 would be element 0).
        Assert.StartsWith("Index 4294967296 is outside", Assert.Throws<ArgumentOutOfRangeException>(() => v[1L << 32]).Message);
        var row = Assert.Throws<ArgumentOutOfRangeException>(() => m[2]);
        Assert.Equal("row", row.ParamName);
        Assert.StartsWith("Row 2 is outside a matrix of 2 row(s).", row.Message);
        Assert.Equal(row.Message, Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(2)).Message);
        Assert.Equal(row.Message, Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Index<double>(m.Span, Dims.Matrix(2, 3), 2, new double[3])).Message);
        Assert.Equal(element.Message, Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Index<double>(v.Span, Dims.Vector(3), 3)).Message);
    }

    // ---- In scans: generated and interpreted, against plain loops ------------------------------------------------

    [Fact]
    public void StructuralOpsInAScan() =>
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 5], Gen.Int[1, 5], Gen.Int[1, 4], Gen.Int[1, 4])
            .SelectMany((steps, n, m, k, l) => Gen.Select(Values(steps * n * n), Matrix(steps, n), Matrix(steps, m), Matrix(k, l))
                .Select((a, u, v, M) => (a: new Tensor3<double>(a, steps, n, n), u, v, M)))
            .Sample(data =>
            {
                var (a, u, v, M) = data;
                var tr = StructuralOpScans.StructuralOps(a, u, v, M);
                GraphCheck.SameAsInterpreter(StructuralOpScans.StructuralOpsGraph, tr, a, u, v, M);
                Assert.Equal(a.Length, tr.trace.Length);
                for (int t = 0; t < a.Length; t++)
                {
                    Same(NaiveTranspose(a[t]), tr.transpose[t], $"Transpose at {t}");
                    Same(NaiveOuter(u.Row(t), v.Row(t)), tr.outer[t], $"Outer at {t}");
                    Close(NaiveDiagonal(a[t]), tr.diagonal.Row(t).Span, $"Diagonal at {t}");
                    Assert.Equal(NaiveTrace(a[t]), tr.trace[t]);
                    Same(NaiveTranspose(M), tr.transposeM[t], $"Transpose(M) at {t}");
                    int n = a.Rows;
                    double uu = Enumerable.Range(0, n).Sum(i => u[t, i] * u[t, i]);
                    var chain = Enumerable.Range(0, n).Select(i =>
                        Math.Tanh(a[t][i, i] * 2.0 + Enumerable.Range(0, n).Sum(r => a[t][r, i] * u[t, r])) + uu).ToArray();
                    Close(chain, tr.chain.Row(t).Span, $"chain at {t}", 1e-10);
                }
            });

    [Fact]
    public void StructuralOpsInAFloatScan() =>
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 5]).SelectMany((steps, n) => Gen.Select(Values(steps * n * n), Matrix(steps, n))
                .Select((a, u) => (a: new Tensor3<float>(Array.ConvertAll(a, d => (float)d), steps, n, n),
                    u: new Mat<float>(Array.ConvertAll(u.Span.ToArray(), d => (float)d), u.Rows, u.Columns))))
            .Sample(data =>
            {
                var (a, u) = data;
                var tr = StructuralOpScans.StructuralOpsF(a, u);
                GraphCheck.SameAsInterpreter(StructuralOpScans.StructuralOpsFGraph, tr, a, u);
                for (int t = 0; t < a.Length; t++)
                {
                    float trace = 0;
                    for (int i = 0; i < a.Rows; i++)
                    {
                        trace += a[t][i, i];
                        for (int j = 0; j < a.Rows; j++)
                        {
                            Assert.Equal(a[t][j, i], tr.transpose[t][i, j]);
                            Assert.Equal(u[t, i] * u[t, j], tr.outer[t][i, j]);
                        }
                    }
                    Assert.Equal(trace, tr.trace[t]);
                }
            });

    [Fact]
    public void IndexingInAScan() =>
        Gen.Select(Gen.Int[0, 6], Gen.Int[1, 6], Gen.Int[1, 6], Gen.Int[1, 5])
            .SelectMany((steps, n, d, m) => Gen.Select(Indices(steps, n), Indices(steps, m).Select(ys => Array.ConvertAll(ys, y => (long)y)),
                Matrix(steps, m), Vector(n), Matrix(n, d)))
            .Sample((i, y, p, table, E) =>
            {
                var tr = StructuralOpScans.IndexingOps(i, y, p, table, E);
                GraphCheck.SameAsInterpreter(StructuralOpScans.IndexingOpsGraph, tr, i, y, p, table, E);
                var tableValues = table.ToArray();
                var rows = E.ToArray();
                for (int t = 0; t < i.Length; t++)
                {
                    var row = Enumerable.Range(0, E.Columns).Select(c => rows[i[t], c]).ToArray();
                    Assert.Equal(tableValues[i[t]], tr.element[t]);
                    Assert.Equal(row, tr.row.Row(t).ToArray());
                    Assert.Equal(p.Span[t * p.Columns + (int)y[t]], tr.picked[t]);
                    Assert.Equal(row, tr.rowOf.Row(t).ToArray());
                    Assert.Equal(tableValues[i[t] / 2] + p.Span[t * p.Columns + (int)(y[t] - y[t] / 2)], tr.computed[t]);
                    Assert.Equal(rows[i[t], 0], tr.ofRow[t]);
                    Assert.Equal(2.0 * p.Span[t * p.Columns + (int)y[t]], tr.ofProduct[t]);
                    Assert.Equal(Enumerable.Range(0, E.Rows).Select(r => rows[r, 0]).ToArray(), tr.column.Row(t).ToArray());
                }
            });

    [Fact]
    public void IndicesFromAnIntAndALongState() =>
        Gen.Select(Gen.Int[0, 10], Gen.Int[1, 6]).SelectMany((steps, n) => Gen.Select(Indices(n, n), Vector(n), Gen.Int[0, n - 1]))
            .Sample((successors, values, k0) =>
            {
                var s = new Vec<double>(Array.ConvertAll(successors, k => (double)k));
                int steps = successors.Length + 3;
                var tr = StructuralOpScans.PointerChase(steps, k0, s, values);
                GraphCheck.SameAsInterpreter(StructuralOpScans.PointerChaseGraph, tr, steps, k0, s, values);
                int k = k0;
                for (int t = 0; t < steps; t++)
                {
                    Assert.Equal(values.ToArray()[k], tr.value[t]);
                    k = successors[k];
                    Assert.Equal(k, tr.k[t]);
                }

                var f = new Vec<float>(Array.ConvertAll(values.ToArray(), v => (float)v));
                var walk = StructuralOpScans.LongWalk(values.Length - 1, 1L, f);
                Assert.Equal(f.ToArray()[1..], walk.value);
                Assert.Equal(Enumerable.Range(2, values.Length - 1).Select(j => (long)j), walk.j);
                GraphCheck.SameAsInterpreter(StructuralOpScans.LongWalkGraph, walk, values.Length - 1, 1L, f);
            });

    [Fact]
    public void AnEmbeddingLookupFeedingAnRnn() =>
        Gen.Select(Gen.Int[0, 8], Gen.Int[1, 10], Gen.Int[1, 5], Gen.Int[1, 5])
            .SelectMany((steps, vocabulary, d, h) => Gen.Select(Indices(steps, vocabulary), Matrix(vocabulary, d), Vector(h), Matrix(h, h), Matrix(h, d), Vector(h)))
            .Sample((tokens, E, h0, W, U, b) =>
            {
                var trace = StructuralOpScans.EmbeddingRnn(tokens, h0, E, W, U, b);
                GraphCheck.SameAsInterpreter(StructuralOpScans.EmbeddingRnnGraph, trace, tokens, h0, E, W, U, b);
                var h = h0.ToArray();
                for (int t = 0; t < tokens.Length; t++)
                {
                    var next = new double[h.Length];
                    for (int r = 0; r < h.Length; r++)
                    {
                        double sum = b[r];
                        for (int c = 0; c < h.Length; c++) sum += W[r, c] * h[c];
                        for (int c = 0; c < E.Columns; c++) sum += U[r, c] * E[tokens[t], c];
                        next[r] = Math.Tanh(sum);
                    }
                    h = next;
                    Close(h, trace.Row(t).Span, $"h at step {t}", 1e-10);
                }
            });

    [Fact]
    public void TheCrossEntropyOfASoftmaxAtTheTarget() =>
        Gen.Select(Gen.Int[0, 8], Gen.Int[1, 6]).SelectMany((steps, classes) =>
                Gen.Select(Matrix(steps, classes), Indices(steps, classes).Select(ys => Array.ConvertAll(ys, y => (long)y)), Gen.Double[-1, 1]))
            .Sample((logits, target, total0) =>
            {
                var (loss, total) = StructuralOpScans.CrossEntropyLoss(logits, target, total0);
                GraphCheck.SameAsInterpreter(StructuralOpScans.CrossEntropyLossGraph, (loss, total), logits, target, total0);
                double running = total0;
                for (int t = 0; t < target.Length; t++)
                {
                    var z = logits.Row(t).ToArray();
                    double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                    double expected = -Math.Log(Math.Exp(z[target[t]] - max) / sum);
                    Close(expected, loss[t], $"loss at {t}", 1e-10);
                    Close(running += loss[t], total[t], $"total at {t}");
                }
            });

    // ---- Errors: the same from the step method, the generated loop and the interpreter ---------------------------

    [Theory]
    [InlineData(new[] { 0, 1, 3 }, new long[] { 0, 0, 0 })] // i too large for table (3 elements)
    [InlineData(new[] { 0, -1 }, new long[] { 0, 0 })] // a negative i
    [InlineData(new[] { 0, 1 }, new long[] { 1, 2 })] // y too large for p (2 elements)
    [InlineData(new[] { 0 }, new[] { 1L << 32 })] // a long y beyond int: never truncated
    public void AnIndexOutOfRangeFromASequenceThrowsAsTheStepMethodDoes(int[] i, long[] y)
    {
        var p = Mat<double>.Zeros(i.Length, 2);
        var table = new Vec<double>([1.0, 2, 3]);
        var E = Mat<double>.Zeros(3, 2);
        var generated = Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.IndexingOps(i, y, p, table, E));
        int failing = Enumerable.Range(0, i.Length).First(t => i[t] is < 0 or >= 3 || y[t] is < 0 or >= 2);
        var direct = Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.Indexing(i[failing], y[failing], p.Row(failing), table, E));
        Assert.Equal(direct.Message, generated.Message);
        Assert.Equal(direct.ParamName, generated.ParamName);
        var interpreted = Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.IndexingOpsGraph.Invoke(i, y, p, table, E));
        Assert.Equal(direct.Message, interpreted.Message);
        Assert.Equal(direct.ParamName, interpreted.ParamName);
    }

    [Fact]
    public void AnEmbeddingRowOutOfRangeNamesTheRowAndTheRows()
    {
        var E = Mat<double>.Zeros(4, 2);
        var (h0, W, U, b) = (Vec<double>.Zeros(3), Mat<double>.Zeros(3, 3), Mat<double>.Zeros(3, 2), Vec<double>.Zeros(3));
        var generated = Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.EmbeddingRnn([1, 4], h0, E, W, U, b));
        Assert.Equal("row", generated.ParamName);
        Assert.StartsWith("Row 4 is outside a matrix of 4 row(s).", generated.Message);
        Assert.Equal(Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.EmbedElman(4, h0, E, W, U, b)).Message, generated.Message);
        Assert.Equal(generated.Message,
            Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.EmbeddingRnnGraph.Invoke(new[] { 1, 4 }, h0, E, W, U, b)).Message);
    }

    [Fact]
    public void AConstantIndexOutOfRangeIsNeverHoistedOutOfTheLoop()
    {
        var (table, E) = (new Vec<double>([1.0, 2]), Mat<double>.Zeros(2, 3));
        // With zero steps the step method never runs, so nothing throws.
        var (element, row) = StructuralOpScans.ConstantIndexOps([], table, E);
        Assert.Empty(element);
        Assert.Equal(0, row.Rows);
        GraphCheck.SameAsInterpreter(StructuralOpScans.ConstantIndexOpsGraph, (element, row), Array.Empty<double>(), table, E);
        // With a step it throws what the step method throws.
        var generated = Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.ConstantIndexOps([1.0], table, E));
        Assert.Equal(Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.ConstantIndex(1.0, table, E)).Message, generated.Message);
        Assert.Equal(generated.Message,
            Assert.Throws<ArgumentOutOfRangeException>(() => StructuralOpScans.ConstantIndexOpsGraph.Invoke(new[] { 1.0 }, table, E)).Message);
    }

    [Fact]
    public void ANonSquareMatrixForDiagonalOrTraceNamesTheParameterBeforeTheFirstStep()
    {
        var a = Tensor3<double>.Zeros(2, 2, 3);
        var (u, v, M) = (Mat<double>.Zeros(2, 2), Mat<double>.Zeros(2, 1), Mat<double>.Zeros(1, 1));
        var error = Assert.Throws<ArgumentException>(() => StructuralOpScans.StructuralOps(a, u, v, M));
        Assert.Equal("a", error.ParamName);
        Assert.StartsWith("a.Rows is 2 but a.Columns is 3; they must be equal (Sym.Diagonal(a) in step Structural: the rows and the columns of a square matrix).", error.Message);
        // The interpreter blames the same parameter for the same sizes (it words where the check comes from its own way).
        var interpreted = Assert.Throws<ArgumentException>(() => StructuralOpScans.StructuralOpsGraph.Invoke(a, u, v, M));
        Assert.Equal("a", interpreted.ParamName);
        Assert.StartsWith("a.Rows is 2 but a.Columns is 3; they must be equal (", interpreted.Message);
        Assert.Contains("the rows and the columns of a square matrix", interpreted.Message);
        var trace = Assert.Throws<ArgumentException>(() => StructuralOpScans.StructuralOpsF(Tensor3<float>.Zeros(1, 3, 2), Mat<float>.Zeros(1, 3)));
        Assert.Equal("a", trace.ParamName);
        Assert.Contains("(Sym.Trace(a) in step StructuralF: the rows and the columns of a square matrix)", trace.Message);
    }

    // ---- The runtime graph API (the F# path) ---------------------------------------------------------------------

    [Fact]
    public void TheInterpretersIntegerResultsStayIntegers()
    {
        // A computed index (table[i / 2]) found it: the scalar kernels returned every int and long result as a double,
        // so a long past 2^53 lost its last bits, and an index computed in the graph was not an integer at all.
        var n = Tensor.Input("n", new TensorType(ElementKind.Int64, 0));
        var i = Tensor.Input("i", new TensorType(ElementKind.Int32, 0));
        var f = Tensor.Function([n, i], [Tensor.Apply(Op.Add, n, Tensor.Constant(1L)), Tensor.Apply(Op.Divide, i, Tensor.Constant(2))]);
        var results = f.Invoke((1L << 53) + 1, 7);
        Assert.Equal((object)((1L << 53) + 2), results[0]);
        Assert.Equal((object)3, results[1]);
    }


    [Fact]
    public void TheGraphApiTypesAndShapesTheNewOps()
    {
        var m = Tensor.Matrix("m");
        var v = Tensor.Vector("v");
        Assert.Equal(TensorType.Float64Matrix, Tensor.Transpose(m).Type);
        Assert.Equal(TensorType.Float64Matrix, Tensor.Outer(v, v).Type);
        Assert.Equal(TensorType.Float64Vector, Tensor.Diagonal(m).Type);
        Assert.Equal(TensorType.Float64Scalar, Tensor.Trace(m).Type);
        Assert.Equal(TensorType.Float64Vector, Tensor.Index(m, Tensor.Constant(1)).Type);
        Assert.Equal(TensorType.Float64Scalar, Tensor.Index(v, Tensor.Constant(1L)).Type);
        Assert.Contains("an index is an int or a long, not a double", Assert.Throws<ArgumentException>(() => Tensor.Index(v, Tensor.Scalar("x"))).Message);
        Assert.Contains("Transpose takes a matrix, not a vector", Assert.Throws<ArgumentException>(() => Tensor.Transpose(v)).Message);

        var i = Tensor.Input("i", new TensorType(ElementKind.Int64, 0));
        var f = Tensor.Function([m, v, i], [Tensor.Index(Tensor.Dot(Tensor.Transpose(m), v), i), Tensor.Trace(Tensor.Outer(v, v))]);
        var mat = new Mat<double>([1.0, 2, 3, 4, 5, 6], 2, 3);
        var results = f.Invoke(mat, new Vec<double>([1.0, -1]), 2L);
        Assert.Equal(3.0 - 6.0, results[0]);
        Assert.Equal(2.0, results[1]);
    }
}
