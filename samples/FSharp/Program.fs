module SymGen.FSharpDemo.Program

open SymGen
open SymGen.FSharpDemo.Demo

[<EntryPoint>]
let main _ =
    let xs, start = [| 1.0; 2.0; 3.0 |], 1.0
    let generated, interpreted = generatedCumSum xs start, interpretedCumSum xs start
    printfn "CumSum %A from %g: generated %A, interpreted %A" xs start generated interpreted

    let input = Mat<float>.FromRows([| 1.0; 0.0; 0.0 |], [| 0.0; 1.0; 0.0 |], [| 0.0; 0.0; 1.0 |])
    let w = Mat<float>.FromRows([| 0.5; -0.2 |], [| 0.1; 0.3 |])
    let u = Mat<float>.FromRows([| 1.0; 0.0; 0.5 |], [| -0.5; 1.0; 0.0 |])
    let b = Vec<float>([| 0.1; -0.1 |])
    let h0 = Vec<float>.Zeros 2
    let rnnGenerated, rnnInterpreted = generatedRnn input h0 w u b, interpretedRnn input h0 w u b
    printfn "Elman RNN: generated %O" rnnGenerated
    printfn "           interpreted %O" rnnInterpreted

    printfn "The F# graphs:\n%s" (cumSumGraph.DebugPrint())
    let difference = max (maxDifference generated interpreted) (maxDifference (rnnGenerated.Span.ToArray()) (rnnInterpreted.Span.ToArray()))
    let trainingDifference = TrainingDemo.compareWithCSharp ()
    if difference <= 1e-12 && trainingDifference <= 1e-9 then
        printfn "Generated and interpreted agree (largest difference %g; loss curves within %g relative)." difference trainingDifference
        0
    else
        eprintfn "Generated and interpreted differ by %g; the loss curves by %g relative (at most 1e-9)." difference trainingDifference
        1
