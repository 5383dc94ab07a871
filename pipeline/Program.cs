return await Lab.Pipeline.Cli.Run(args);
