/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef EDGE_LLM_LLM_PROFILE_H
#define EDGE_LLM_LLM_PROFILE_H

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @ingroup edge-llm
 * @brief One layer of a transformer as seen by split fine-tuning.
 */
struct LlmLayer
{
    std::string name;            //!< "embed", "block0" … "blockN-1" or "head"
    double fwdBwdFlops{0};       //!< FLOPs of forward + backward of one training step
    uint64_t outputBytes{0};     //!< bytes of the output activation (= gradient sent back)
    uint64_t params{0};          //!< parameters held by the layer
    uint64_t trainableParams{0}; //!< parameters updated by (LoRA) fine-tuning
    double fwdTimeS{0};          //!< measured forward time on the reference GPU, s (NaN if unknown)
    double bwdTimeS{0}; //!< measured backward time on the reference GPU, s (NaN if unknown)
};

/**
 * @ingroup edge-llm
 * @brief Shape of a transformer for the paper's analytic workload formula.
 */
struct TransformerShape
{
    uint32_t layers{32};         //!< number of transformer blocks (Upsilon)
    uint32_t hidden{4096};       //!< hidden size h
    uint32_t batch{1};           //!< batch size B
    uint32_t seqLen{512};        //!< tokens per sample d
    double bytesPerElement{2.0}; //!< activation precision (2 = fp16/bf16)
};

/**
 * @ingroup edge-llm
 * @brief Per-layer workload of one LLM fine-tuning step: compute and split payloads.
 *
 * A profile holds the embedding, Upsilon transformer blocks and (optionally) the LM head.
 * Split layer alpha (0 … Upsilon) means the device runs the embedding and blocks 0 … alpha-1,
 * then sends the activation at the split; the edge server runs blocks alpha … Upsilon-1 and
 * the head, and sends the gradient of the same size back.
 *
 * Two sources: a measured profile CSV (FromCsv) and the paper's formula
 * psi(d) = 72 B d h^2 + 12 B d^2 h FLOPs per block with B d h bytesPerElement activations
 * (FromFormula). Bad input raises ns3::InputError naming file, line, column and what is allowed.
 */
class LlmProfile
{
  public:
    /** One (model, batch, seq, LoRA rank) configuration present in a profile CSV. */
    struct Configuration
    {
        std::string model; //!< model name
        uint32_t batch;    //!< batch size
        uint32_t seqLen;   //!< sequence length
        uint32_t loraRank; //!< LoRA rank
    };

    /**
     * Load one configuration from a profile CSV (columns as in data/README.md).
     * @param path CSV file
     * @param model model name (e.g. "llama-2-7b")
     * @param batch batch size
     * @param seqLen sequence length
     * @param loraRank LoRA rank; 0 accepts the only rank present
     * @return the profile
     * @throws InputError on a missing file, malformed row, unknown configuration…
     */
    static LlmProfile FromCsv(const std::string& path,
                              const std::string& model,
                              uint32_t batch,
                              uint32_t seqLen,
                              uint32_t loraRank = 0);

    /**
     * List the configurations a profile CSV holds.
     * @param path CSV file
     * @return configurations in file order, without duplicates
     */
    static std::vector<Configuration> ListCsv(const std::string& path);

    /**
     * Build a profile from the paper's formula (full fine-tune count).
     * @param shape transformer shape
     * @param name model name to report
     * @return the profile (embedding with no FLOPs, Upsilon identical blocks, no head)
     */
    static LlmProfile FromFormula(const TransformerShape& shape,
                                  const std::string& name = "formula");

    /**
     * The paper's per-block FLOPs, 72 B d h^2 + 12 B d^2 h.
     * @param shape transformer shape
     * @return FLOPs of forward + backward of one block
     */
    static double FormulaBlockFlops(const TransformerShape& shape);

    /** @return model name */
    const std::string& GetModelName() const;
    /** @return where the profile came from ("csv:<path>" or "formula") */
    const std::string& GetSource() const;
    /** @return batch size */
    uint32_t GetBatch() const;
    /** @return sequence length in tokens */
    uint32_t GetSeqLen() const;
    /** @return LoRA rank (0 for the formula: full fine-tune) */
    uint32_t GetLoraRank() const;
    /** @return number of transformer blocks, Upsilon */
    uint32_t GetNumBlocks() const;
    /** @return true when the profile has an LM head layer */
    bool HasHead() const;

    /** @return the embedding layer */
    const LlmLayer& GetEmbedding() const;
    /**
     * @param i block index, 0 … Upsilon-1
     * @return block i
     */
    const LlmLayer& GetBlock(uint32_t i) const;
    /** @return the LM head (all zero when HasHead() is false) */
    const LlmLayer& GetHead() const;

    /**
     * @param alpha split layer, 0 … Upsilon
     * @return FLOPs the device runs per step (embedding + blocks 0 … alpha-1)
     */
    double GetDeviceFlops(uint32_t alpha) const;
    /**
     * @param alpha split layer, 0 … Upsilon
     * @return FLOPs the edge runs per step (blocks alpha … Upsilon-1 + head)
     */
    double GetEdgeFlops(uint32_t alpha) const;
    /** @return FLOPs of all blocks divided by Upsilon (the per-layer psi of the paper) */
    double GetMeanBlockFlops() const;
    /**
     * @param alpha split layer, 0 … Upsilon
     * @return bytes of the activation crossing the link (embedding output for alpha = 0)
     */
    uint64_t GetSplitActivationBytes(uint32_t alpha) const;
    /**
     * @param alpha split layer, 0 … Upsilon
     * @return bytes of the gradient sent back (same tensor shape as the activation)
     */
    uint64_t GetSplitGradientBytes(uint32_t alpha) const;
    /**
     * @param alpha split layer, 0 … Upsilon
     * @return trainable parameters held on the device
     */
    uint64_t GetDeviceTrainableParams(uint32_t alpha) const;
    /**
     * @param alpha split layer, 0 … Upsilon
     * @return measured reference-GPU time of the edge part (fwd + bwd), s; NaN if not measured
     */
    double GetMeasuredEdgeTimeS(uint32_t alpha) const;

  private:
    LlmProfile() = default;
    /** @param alpha split layer to check against Upsilon */
    void CheckAlpha(uint32_t alpha) const;

    std::string m_model;               //!< model name
    std::string m_source;              //!< origin
    uint32_t m_batch{0};               //!< batch size
    uint32_t m_seqLen{0};              //!< sequence length
    uint32_t m_loraRank{0};            //!< LoRA rank
    LlmLayer m_embedding;              //!< embedding layer
    std::vector<LlmLayer> m_blocks;    //!< transformer blocks
    LlmLayer m_head;                   //!< LM head
    bool m_hasHead{false};             //!< whether m_head is present
    std::vector<double> m_flopsPrefix; //!< m_flopsPrefix[a] = sum of block FLOPs below a
};

} // namespace ns3

#endif // EDGE_LLM_LLM_PROFILE_H
