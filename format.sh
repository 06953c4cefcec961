#!/usr/bin/env bash
# Formats the code as CI checks it: CSharpier lays it out at 120 columns (.editorconfig's max_line_length), then
# dotnet format applies the .editorconfig rules (whitespace, style, analyzers). The two agree on the result.
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
dotnet csharpier format .
dotnet format Veritensor.slnx
