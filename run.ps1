<#
.SYNOPSIS
  Runs a learning-curve study: run.ps1 -Domain NAME [-Preset smoke|default|full|FILE.json] [-Data PATH]
  [-Out DIR] [-Device auto|cpu|cuda] [-Threads N] [-Seed N] [-Arch NAME|all] [-TargetError X] [-Reverse] [-StartOver] [-DryRun]
.DESCRIPTION
  Calls `dotnet run --project pipeline -c Release -- run ...` with the same options and exits with its exit code
  (0 done, 1 some trial failed, 2 bad input, 3 a file could not be written, 4 the study folder is in use, 130/143
  interrupted). An unknown option or a count that is not a whole number is exit code 2 here, before anything runs.
  -DryRun prints the command instead of running it. Uses engine features only, so it also runs in a hosted engine.
  NAME: lm, charlm, image, nmt, speech, or any domain registered since; `pipeline run --help` lists them with the data
  each takes and its model families (-Arch).
#>
param(
    [string]$Domain = 'lm',
    [string]$Preset = 'default',
    [string]$Data = '',
    [string]$Out = '',
    [string]$Device = 'auto',
    [string]$Threads = '0',
    [string]$Seed = '1',
    [string]$Arch = 'default',
    [string]$TargetError = '',
    [switch]$Reverse,
    [switch]$StartOver,
    [switch]$DryRun
)

function Refuse([string]$message) {
    [Console]::Error.WriteLine("error: $message")
    [Console]::Error.WriteLine('see: Get-Help ./run.ps1')
    exit 2
}
if ($args.Count -gt 0) { Refuse ("unknown option(s): " + ($args -join ' ')) }
if ($Threads -notmatch '^\d+$') { Refuse "-Threads '$Threads': must be 0 (all cores) or a positive count" }
if ($Seed -notmatch '^-?\d+$') { Refuse "-Seed '$Seed': must be a whole number" }

$root = [IO.Path]::GetDirectoryName($PSCommandPath)
$project = [IO.Path]::Combine($root, 'pipeline', 'pipeline.csproj')
$arguments = @('run', '--project', $project, '-c', 'Release', '--',
    'run', '--domain', $Domain, '--preset', $Preset, '--device', $Device, '--threads', $Threads, '--seed', $Seed)
if ($Data -ne '') { $arguments += @('--data', $Data) }
if ($Out -ne '') { $arguments += @('--out', $Out) }
if ($Arch -ne 'default') { $arguments += @('--arch', $Arch) }
if ($TargetError -ne '') { $arguments += @('--target-error', $TargetError) }
if ($Reverse) { $arguments += '--reverse' }
if ($StartOver) { $arguments += '--start-over' }

if ($DryRun) {
    'dotnet ' + ($arguments -join ' ')
    exit 0
}
& dotnet @arguments
exit $LASTEXITCODE
