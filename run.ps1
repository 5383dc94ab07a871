<#
.SYNOPSIS
  Runs a learning-curve study: run.ps1 -Domain lm|charlm|image|nmt|speech [-Preset smoke|default|full] [-Data PATH] [-Out DIR]
  [-Device auto|cpu|cuda] [-Threads N] [-Seed N] [-Arch NAME|all] [-Reverse] [-DryRun]
.DESCRIPTION
  Calls `dotnet run --project pipeline -c Release -- run ...` with the same options and exits with its exit code
  (0 done, 1 some trial failed, 2 bad input). -DryRun prints the command instead of running it.
  Uses engine features only, so it also runs in a hosted PowerShell engine.
#>
param(
    [string]$Domain = 'lm',
    [string]$Preset = 'default',
    [string]$Data = '',
    [string]$Out = '',
    [string]$Device = 'auto',
    [int]$Threads = 0,
    [long]$Seed = 1,
    [string]$Arch = 'default',
    [switch]$Reverse,
    [switch]$DryRun
)

$root = [IO.Path]::GetDirectoryName($PSCommandPath)
$project = [IO.Path]::Combine($root, 'pipeline', 'pipeline.csproj')
$arguments = @('run', '--project', $project, '-c', 'Release', '--',
    'run', '--domain', $Domain, '--preset', $Preset, '--device', $Device, '--threads', "$Threads", '--seed', "$Seed")
if ($Data -ne '') { $arguments += @('--data', $Data) }
if ($Out -ne '') { $arguments += @('--out', $Out) }
if ($Arch -ne 'default') { $arguments += @('--arch', $Arch) }
if ($Reverse) { $arguments += '--reverse' }

if ($DryRun) {
    'dotnet ' + ($arguments -join ' ')
    exit 0
}
& dotnet @arguments
exit $LASTEXITCODE
