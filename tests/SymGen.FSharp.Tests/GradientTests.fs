/// Tensor.Grad through a scan built in F#: the interpreter's backward scan, from F# code.
module SymGen.FSharp.Tests.GradientTests

open System
open Xunit
open SymGen
open SymGen.Graph

[<Fact>]
let ``Tensor.Grad through an F# cumulative-sum scan gives the suffix sums of the weights`` () =
    let x, start, w = Tensor.Vector "x", Tensor.Scalar "start", Tensor.Vector "w"
    let h = Tensor.Scan((fun a -> ScanStep.Of(a.[1] + a.[0])), sequences = [ ScanSequence(x, [ 0 ]) ],
                        outputs = [ ScanOutputInfo.Recurrent start ]).[0]
    let cost = Tensor.Dot(w, h)
    let grads = Tensor.Grad(cost, x, start)
    let f = Tensor.Function([ x; start; w ], grads)
    let ws = [| 1.0; -2.0; 0.5; 3.0 |]
    match f.Invoke(box [| 1.0; 2.0; 3.0; 4.0 |], box 0.5, box ws) with
    | [| :? Vec<float> as dx; :? float as dStart |] ->
        // cost = sum_t w_t (start + x_0 + ... + x_t): dx_t = w_t + ... + w_T-1, dstart = sum w.
        let suffix = Array.init ws.Length (fun t -> Array.sum ws.[t..])
        Assert.Equal<float[]>(suffix, dx.ToArray())
        Assert.Equal(Array.sum ws, dStart)
    | other -> failwithf "unexpected result %A" other

[<Fact>]
let ``Tensor.Grad through an F# tanh RNN matches central differences`` () =
    let xs, h0, w = Tensor.Matrix "xs", Tensor.Vector "h0", Tensor.Matrix "W"
    let step (a: Collections.Generic.IReadOnlyList<Variable>) = ScanStep.Of(Tensor.Tanh(Tensor.Dot(a.[2], a.[1]) + a.[0]))
    let h = Tensor.Scan(step, sequences = [ ScanSequence(xs, [ 0 ]) ], outputs = [ ScanOutputInfo.Recurrent h0 ],
                        nonSequences = [ w :> Variable ]).[0]
    let cost = Tensor.Sum(h * h)
    let costF, gradF = Tensor.Function([ xs; h0; w ], [ cost ]), Tensor.Function([ xs; h0; w ], Tensor.Grad(cost, w))
    let random = Random 12
    let values n = Array.init n (fun _ -> random.NextDouble() - 0.5)
    let x, start, weights = Mat<float>(values 15, 5, 3), Vec<float>(values 3), values 9
    let dW = (gradF.Invoke(box x, box start, box (Mat<float>(weights, 3, 3))).[0] :?> Mat<float>).Span.ToArray()
    for i in 0 .. 8 do
        let at delta =
            let m = Array.copy weights
            m.[i] <- m.[i] + delta
            costF.Invoke(box x, box start, box (Mat<float>(m, 3, 3))).[0] :?> float
        let difference = (at 1e-6 - at -1e-6) / 2e-6
        Assert.True(abs (difference - dW.[i]) <= 1e-7, sprintf "dW[%d]: %g vs %g" i dW.[i] difference)
