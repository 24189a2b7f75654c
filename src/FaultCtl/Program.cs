using FaultCtl.Hosting;

// faultctl <command> [options]: every command is in the folder of its feature; FaultCtlApplication parses, runs and
// turns every failure into one line on stderr and a documented exit code (Hosting/ExitCodes.cs).
return await FaultCtlApplication.RunAsync(args, ClientFactories.FromEnvironment, Console.Out, Console.Error).ConfigureAwait(false);
