// Usage: CoupledLstm [length]   (default 6: the first digit must be remembered for 5 steps)
int length = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 6;
var result = CoupledLstm.CoupledLstmSample.Run(length, Console.Out);
return result.TestAccuracy >= 0.99 ? 0 : 1;
