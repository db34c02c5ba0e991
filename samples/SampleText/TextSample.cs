using System.Numerics.Tensors;
using SeqGraph.Data;
using SeqGraph.Experiments.Text;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Random;
using SeqGraph.Training;

namespace SampleText;

/// <summary>Two ways to sample from a checkpoint: the model step by step, and the experiment call that <c>seqgraph text sample</c> makes.</summary>
public static class TextSample
{
    /// <summary>The greedy continuation of <paramref name="prompt"/> by <paramref name="length"/> characters, fed one character at a time.</summary>
    public static string Continue(string checkpoint, string prompt, int length)
    {
        // <snippet step>
        TextModel loaded = TextCheckpoint.LoadModel(checkpoint);          // weights, vocabulary, settings
        var net = new CharLstmInference(loaded.Model);                     // batch-1 inference, no tape
        int[] symbols = TextCorpus.Encode(loaded.Vocabulary, prompt, out var unknown);
        if (unknown.Count > 0) throw new ArgumentException($"the model never saw {unknown.Count} of the prompt's characters");
        ReadOnlySpan<float> logits = default;
        foreach (int s in symbols) logits = net.Step(s);                   // the prompt builds the state once
        var generated = new int[length];
        for (int i = 0; i < length; i++)
        {
            generated[i] = TensorPrimitives.IndexOfMax(logits);            // greedy; see TextSampler for temperature and top-k
            logits = net.Step(generated[i]);
        }
        return prompt + TextCorpus.Decode(loaded.Vocabulary, generated);
        // </snippet>
    }

    /// <summary>The same through the experiment call, with temperature sampling.</summary>
    public static string[] Sample(string checkpoint, string prompt, int length, float temperature, int count)
    {
        // <snippet experiment>
        TextSampleResult result = TextSampling.Run(new TextSampleConfig
        {
            Checkpoint = checkpoint, Prompt = prompt, Length = length, Temperature = temperature, Count = count, Seed = 7,
        });
        return result.Samples;
        // </snippet>
    }
}
