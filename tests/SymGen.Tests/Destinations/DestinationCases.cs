using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using SymGen.Tests.Conformance;
using static SymGen.Tests.Tensors.TensorTestData;
using D = SymGen.Tests.Destinations.DestinationScans;

namespace SymGen.Tests.Destinations;

/// <summary>
/// The destination scans in the conformance suite: the generated method writes into destinations sized here (from
/// the arguments) and returns them, every other engine runs the scan's graph on the same arguments. Where a scan's
/// name has both overloads, the case is the destination's (the allocating one gives the same bits, DestinationTests).
/// </summary>
public static class DestinationCases
{
    private static object[] Args(params object[] arguments) => arguments;

    private static ScanUnderTest Scan(string name, Func<object[], object?> method, Func<Graph.Function> graph) => new(name, method, graph);

    private static Vec<float> F(Vec<double> v) => new(Array.ConvertAll(v.ToArray(), d => (float)d));
    private static Mat<float> F(Mat<double> m) => new(Array.ConvertAll(m.Span.ToArray(), d => (float)d), m.Rows, m.Columns);

    private static readonly Gen<double[]> Doubles = Gen.Double.Array[0, 30];

    private static double[] CumSumInto(Action<double[]> scan, int n) { var ys = new double[n]; scan(ys); return ys; }

    private static readonly Gen<object[]> RnnArguments =
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 4], Gen.Int[1, 3]).SelectMany((n, h, x) => Gen.Select(Matrix(n, x), Vector(h), Matrix(h, h), Matrix(h, x), Vector(h)))
            .Select((xs, h0, W, U, b) => Args(xs, h0, W, U, b));

    private static Mat<double> RnnInto(object[] a, Action<Mat<double>> scan)
    {
        var hs = Mat<double>.Zeros(((Mat<double>)a[0]).Rows, ((Vec<double>)a[1]).Length);
        scan(hs);
        return hs;
    }

    private static readonly Gen<object[]> LeakyArguments =
        Gen.Select(Gen.Int[0, 5], Gen.Int[1, 3], Gen.Int[1, 3]).SelectMany((n, r, c) => Gen.Select(Values(n * r * c).Select(v => new Tensor3<double>(v, n, r, c)), Matrix(r, c), Gen.Double[-1, 1]))
            .Select((xs, s0, decay) => Args(xs, s0, decay));

    private static Tensor3<double> LeakyInto(object[] a, Action<Tensor3<double>> scan)
    {
        var s0 = (Mat<double>)a[1];
        var states = Tensor3<double>.Zeros(((Tensor3<double>)a[0]).Length, s0.Rows, s0.Columns);
        scan(states);
        return states;
    }

    private static readonly Gen<object[]> UntilArguments =
        Gen.Select(Gen.Double[-4, 4], Gen.Double[-10, 100], Gen.Int[0, 12]).Select((h, limit, n) => Args(h, limit, n));

    private static double[] UntilInto(object[] a, Func<double[], int> scan)
    {
        var ys = new double[(int)a[2]];
        int ran = scan(ys);
        return ys[..ran];
    }

    private static readonly Gen<object[]> BatchedArguments =
        Gen.Select(Gen.Int[0, 4], Gen.Int[1, 3], Gen.Int[1, 4], Gen.Int[1, 3]).SelectMany((n, batch, h, x) =>
                Gen.Select(Values(n * batch * x).Select(v => new Tensor3<double>(v, n, batch, x)), Matrix(batch, h), Matrix(h, h), Matrix(x, h), Vector(h)))
            .Select((xs, h0, Wt, Ut, b) => Args(xs, h0, Wt, Ut, b));

    public static readonly IReadOnlyList<ScanCase> All =
    [
        new(Scan("DestinationScans.CumSum", a => CumSumInto(ys => D.CumSum((double[])a[0], (double)a[1], ys), ((double[])a[0]).Length), () => D.CumSumGraph_3),
            Gen.Select(Doubles, Gen.Double).Select((x, h) => Args(x, h))),
        new(Scan("DestinationScans.CumSumIntoArray", a => CumSumInto(ys => D.CumSumIntoArray((double[])a[0], (double)a[1], ys), ((double[])a[0]).Length), () => D.CumSumIntoArrayGraph),
            Gen.Select(Doubles, Gen.Double).Select((x, h) => Args(x, h))),
        new(Scan("DestinationScans.CumSumIntoMemory", a => CumSumInto(ys => D.CumSumIntoMemory((double[])a[0], (double)a[1], ys), ((double[])a[0]).Length), () => D.CumSumIntoMemoryGraph),
            Gen.Select(Doubles, Gen.Double).Select((x, h) => Args(x, h))),
        new(Scan("DestinationScans.CumSumIntoVec", a => CumSumInto(ys => D.CumSumIntoVec((Vec<double>)a[0], (double)a[1], new Vec<double>(ys)), ((Vec<double>)a[0]).Length), () => D.CumSumIntoVecGraph),
            Gen.Select(Doubles, Gen.Double).Select((x, h) => Args(new Vec<double>(x), h))),
        new(Scan("DestinationScans.CumSumWithMode", a => CumSumInto(ys => D.CumSumWithMode((double[])a[0], (double)a[1], ys), ((double[])a[0]).Length), () => D.CumSumWithModeGraph),
            Gen.Select(Doubles, Gen.Double).Select((x, h) => Args(x, h))),
        new(Scan("DestinationScans.Iir", a => CumSumInto(ys => D.Iir((double[])a[0], (double[])a[1], (double)a[2], ys), Math.Max(0, ((double[])a[0]).Length - 5)), () => D.IirGraph_4),
            Gen.Select(Gen.Double[-2, 2].Array[5, 20], Gen.Double[-2, 2].Array[5, 6], Gen.Double[-1, 1]).Select((x, y0, w) => Args(x, y0, w))),
        new(Scan("DestinationScans.MixedOutputs", a =>
            {
                int n = ((double[])a[0]).Length;
                double[] m = new double[n], h = new double[n], z = new double[n];
                D.MixedOutputs((double[])a[0], (double)a[1], (double[])a[2], m, h, z);
                return (m, h, z);
            }, () => D.MixedOutputsGraph_6),
            Gen.Select(Doubles, Gen.Double, Gen.Double.Array[2]).Select((x, h0, z0) => Args(x, h0, z0))),
        new(Scan("DestinationScans.Rnn", a => RnnInto(a, hs => D.Rnn((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Vec<double>)a[4], hs)), () => D.RnnGraph_6), RnnArguments),
        new(Scan("DestinationScans.RnnWithMode", a => RnnInto(a, hs => D.RnnWithMode((Mat<double>)a[0], (Vec<double>)a[1], (Mat<double>)a[2], (Mat<double>)a[3], (Vec<double>)a[4], hs)), () => D.RnnWithModeGraph), RnnArguments),
        new(Scan("DestinationScans.RnnF", a =>
            {
                var hs = Mat<float>.Zeros(((Mat<float>)a[0]).Rows, ((Vec<float>)a[1]).Length);
                D.RnnF((Mat<float>)a[0], (Vec<float>)a[1], (Mat<float>)a[2], (Mat<float>)a[3], (Vec<float>)a[4], hs);
                return hs;
            }, () => D.RnnFGraph_6),
            RnnArguments.Select(a => Args(F((Mat<double>)a[0]), F((Vec<double>)a[1]), F((Mat<double>)a[2]), F((Mat<double>)a[3]), F((Vec<double>)a[4])))),
        new(Scan("DestinationScans.Leaky", a => LeakyInto(a, s => D.Leaky((Tensor3<double>)a[0], (Mat<double>)a[1], (double)a[2], s)), () => D.LeakyGraph_4), LeakyArguments),
        new(Scan("DestinationScans.LeakyWithMode", a => LeakyInto(a, s => D.LeakyWithMode((Tensor3<double>)a[0], (Mat<double>)a[1], (double)a[2], s)), () => D.LeakyWithModeGraph), LeakyArguments),
        new(Scan("DestinationScans.DoubleUntil", a => UntilInto(a, ys => D.DoubleUntil((double)a[0], (double)a[1], (int)a[2], ys)), () => D.DoubleUntilGraph_4), UntilArguments),
        new(Scan("DestinationScans.DoubleUntilWithMode", a => UntilInto(a, ys => D.DoubleUntilWithMode((double)a[0], (double)a[1], (int)a[2], ys)), () => D.DoubleUntilWithModeGraph), UntilArguments),
        new(Scan("DestinationScans.AddToTotal", a => CumSumInto(ys => D.AddToTotal((double[])a[0], (Shared<double>)a[1], ys), ((double[])a[0]).Length), () => D.AddToTotalGraph),
            Gen.Select(Gen.Double[-9, 9].Array[0, 10], Gen.Double[-9, 9]).Select((x, total) => Args(x, new Shared<double>("total", total)))),
        new(Scan("BatchedScans.Rnn", a =>
            {
                var h0 = (Mat<double>)a[1];
                var hs = Tensor3<double>.Zeros(((Tensor3<double>)a[0]).Length, h0.Rows, h0.Columns);
                Seed.BatchedScans.Rnn((Tensor3<double>)a[0], h0, (Mat<double>)a[2], (Mat<double>)a[3], (Vec<double>)a[4], hs);
                return hs;
            }, () => Seed.BatchedScans.RnnGraph_6), BatchedArguments),
        new(Scan("BatchedScans.RnnF", a =>
            {
                var h0 = (Mat<float>)a[1];
                var xs = (Tensor3<float>)a[0];
                var hs = Tensor3<float>.Zeros(xs.Length, h0.Rows, h0.Columns);
                Seed.BatchedScans.RnnF(xs, h0, (Mat<float>)a[2], (Mat<float>)a[3], (Vec<float>)a[4], hs);
                return hs;
            }, () => Seed.BatchedScans.RnnFGraph),
            BatchedArguments.Select(a =>
            {
                var xs = (Tensor3<double>)a[0];
                return Args(new Tensor3<float>(Array.ConvertAll(xs.Span.ToArray(), d => (float)d), xs.Length, xs.Rows, xs.Columns),
                    F((Mat<double>)a[1]), F((Mat<double>)a[2]), F((Mat<double>)a[3]), F((Vec<double>)a[4]));
            })),
    ];
}
