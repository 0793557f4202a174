/**
 * DJL (PyTorch engine) nets built from {@link dev.verydeep.core.net.NetDescription} and the paper's
 * training recipe (section 3.1): SGD with momentum, weight decay, dropout, plateau learning-rate
 * schedule, scale jittering, Glorot or paper initialisation or {@code --init-from} a trained net,
 * checkpoints every epoch and resume.
 */
package dev.verydeep.trainer;
