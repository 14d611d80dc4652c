#!/usr/bin/env bash
# Build-time cost of the generator: a project with 50 [Symbolic] methods, built clean with and without SymGen's
# generator (without it, the same 50 loops are written by hand), three times each; and the compiler's own report of
# the time spent in the generator (ReportAnalyzer).
# Usage: benchmarks/BuildCost/measure.sh   (from the repository root)
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
runs=${RUNS:-3}

make_project() { # $1 = folder, $2 = "generated" or "hand"
  mkdir -p "$1"
  if [ "$2" = generated ]; then
    cat > "$1/Many.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>disable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/Runtime/SymGen.csproj" />
    <ProjectReference Include="$root/src/Generator/SymGen.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
XML
  else
    cat > "$1/Many.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>disable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
  <ItemGroup><ProjectReference Include="$root/src/Runtime/SymGen.csproj" /></ItemGroup>
</Project>
XML
  fi
  {
    echo "using System; using SymGen;"
    echo "public static partial class Many {"
    for i in $(seq 0 49); do
      echo "  static double Step$i(double x, double h) => h * 1.5 + x + $i;"
      if [ "$2" = generated ]; then
        echo "  [Symbolic(nameof(Step$i))] public static partial double[] Scan$i([Sequence] ReadOnlySpan<double> x, [Initial] double h0);"
      else
        echo "  public static double[] Scan$i(ReadOnlySpan<double> x, double h0) { var r = new double[x.Length]; double h = h0; for (int t = 0; t < x.Length; t++) r[t] = h = Step$i(x[t], h); return r; }"
      fi
    done
    echo "}"
  } > "$1/Many.cs"
}

make_project "$work/generated" generated
make_project "$work/hand" hand
dotnet build "$work/generated" >/dev/null   # restore and build the runtime and generator once
dotnet build "$work/hand" >/dev/null

for kind in hand generated; do
  for run in $(seq 1 "$runs"); do
    rm -rf "$work/$kind/obj/Debug" "$work/$kind/bin"
    start=$(date +%s.%N)
    dotnet build "$work/$kind" --no-restore --no-dependencies -p:BuildProjectReferences=false >/dev/null
    end=$(date +%s.%N)
    echo "$kind build $run: $(awk "BEGIN { print $end - $start }") s"
  done
done
rm -rf "$work/generated/obj/Debug" "$work/generated/bin"
dotnet build "$work/generated" --no-restore -p:BuildProjectReferences=false -p:ReportAnalyzer=true -v:detailed 2>/dev/null \
  | grep -E "SymGen.Generator.ScanGenerator|Total analyzer execution time|Total generator execution time" | sed 's/^ *//' | sort -u
