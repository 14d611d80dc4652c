/// The same scans two ways from F#: generated C# code (a library built with SymGen) and graphs built here with
/// the runtime API, run by the interpreter.
module SymGen.FSharpDemo.Demo

open System
open SymGen
open SymGen.Graph

/// Cumulative sum from an initial value, generated in C# (Seed.Scans.CumSum).
let generatedCumSum (xs: float[]) (start: float) : float[] =
    Seed.Scans.CumSum(ReadOnlySpan xs, start)

/// The same scan built in F#: the step is an F# lambda over the step's parameters (x[t], h[t-1]).
let cumSumGraph : Function =
    let x = Tensor.Vector "x"
    let start = Tensor.Scalar "start"
    let traces =
        Tensor.Scan((fun a -> ScanStep.Of(a.[1] + a.[0])),
                    sequences = [ ScanSequence(x, [ 0 ]) ],
                    outputs = [ ScanOutputInfo.Recurrent start ],
                    name = "cumsum")
    Tensor.Function([ x; start ], [ traces.[0] :> Variable ])

let interpretedCumSum (xs: float[]) (start: float) : float[] =
    match cumSumGraph.Invoke(box xs, box start) with
    | [| :? Vec<float> as trace |] -> trace.ToArray()
    | other -> failwithf "unexpected result %A" other

/// The Elman RNN, generated in C# (Seed.Scans.Rnn).
let generatedRnn (xs: Mat<float>) (h0: Vec<float>) (w: Mat<float>) (u: Mat<float>) (b: Vec<float>) : Mat<float> =
    Seed.Scans.Rnn(xs, h0, w, u, b)

/// The same RNN step built in F#: h_t = tanh(W h_{t-1} + U x_t + b).
let rnnGraph : Function =
    let xs, h0 = Tensor.Matrix "xs", Tensor.Vector "h0"
    let w, u, b = Tensor.Matrix "W", Tensor.Matrix "U", Tensor.Vector "b"
    let elman (a: Collections.Generic.IReadOnlyList<Variable>) =
        let x, h, w, u, b = a.[0], a.[1], a.[2], a.[3], a.[4]
        ScanStep.Of(Tensor.Tanh(Tensor.Dot(w, h) + Tensor.Dot(u, x) + b))
    let traces =
        Tensor.Scan(elman, sequences = [ ScanSequence(xs, [ 0 ]) ], outputs = [ ScanOutputInfo.Recurrent h0 ],
                    nonSequences = [ w :> Variable; u; b ], name = "elman")
    Tensor.Function([ xs; h0; w; u; b ], [ traces.[0] :> Variable ])

let interpretedRnn (xs: Mat<float>) (h0: Vec<float>) (w: Mat<float>) (u: Mat<float>) (b: Vec<float>) : Mat<float> =
    match rnnGraph.Invoke(box xs, box h0, box w, box u, box b) with
    | [| :? Mat<float> as trace |] -> trace
    | other -> failwithf "unexpected result %A" other

/// The largest absolute difference between two runs of numbers.
let maxDifference (a: float seq) (b: float seq) = Seq.map2 (fun x y -> abs (x - y)) a b |> Seq.fold max 0.0
