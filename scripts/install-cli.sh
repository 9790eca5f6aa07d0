#!/usr/bin/env bash
# Packs clients/Platform.Cli and installs it as the global dotnet tool `platform-cli` (in ~/.dotnet/tools), or updates it.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=.local/packages
rm -rf "$packages" && mkdir -p "$packages"
dotnet pack clients/Platform.Cli/Platform.Cli.csproj -c Release -o "$packages" -v q -nologo >/dev/null
dotnet tool update --global --add-source "$packages" --ignore-failed-sources Platform.Cli >/dev/null
echo "Installed platform-cli $(ls "$packages" | sed -n 's/^Platform\.Cli\.\(.*\)\.nupkg$/\1/p')."
case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "Add the dotnet tools folder to PATH first:  export PATH=\"\$PATH:\$HOME/.dotnet/tools\"" ;;
esac
