/// The F# demo's two paths, generated C# scans and F#-built graphs run by the interpreter, agree on random inputs.
module SymGen.FSharp.Tests.FSharpDemoTests

open System
open Xunit
open SymGen
open SymGen.FSharpDemo.Demo

let private random = Random 20261126
let private values n = Array.init n (fun _ -> random.NextDouble() * 4.0 - 2.0)

[<Fact>]
let ``cumulative sum: generated in C# equals the F# graph through the interpreter`` () =
    for length in [ 0; 1; 2; 7; 50 ] do
        let xs, start = values length, random.NextDouble()
        let generated, interpreted = generatedCumSum xs start, interpretedCumSum xs start
        Assert.Equal(length, generated.Length)
        Assert.True(maxDifference generated interpreted <= 1e-12, sprintf "length %d: %A vs %A" length generated interpreted)

[<Fact>]
let ``Elman RNN: generated in C# equals the F# graph through the interpreter`` () =
    for steps, hidden, inputs in [ (0, 2, 3); (1, 3, 2); (6, 4, 5); (20, 8, 3) ] do
        let matrix r c = Mat<float>(values (r * c), r, c)
        let xs, w, u = matrix steps inputs, matrix hidden hidden, matrix hidden inputs
        let h0, b = Vec<float>(values hidden), Vec<float>(values hidden)
        let generated, interpreted = generatedRnn xs h0 w u b, interpretedRnn xs h0 w u b
        Assert.Equal((steps, hidden), (generated.Rows, generated.Columns))
        Assert.Equal((steps, hidden), (interpreted.Rows, interpreted.Columns))
        Assert.True(maxDifference (generated.Span.ToArray()) (interpreted.Span.ToArray()) <= 1e-12)

[<Fact>]
let ``the F# graph prints as a tree`` () =
    let printed = cumSumGraph.DebugPrint()
    Assert.Contains("Scan{cumsum}.0 [id A] float64 vector", printed)
    Assert.Contains("Add [id F] < output 0 float64 scalar", printed)
