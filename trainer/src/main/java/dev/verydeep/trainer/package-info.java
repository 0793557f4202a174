/**
 * DJL (PyTorch engine) nets built from {@link dev.verydeep.core.net.NetDescription} and the paper's
 * training recipe (section 3.1): SGD with momentum, weight decay, dropout, plateau learning-rate
 * schedule, scale jittering, Glorot or paper initialisation or a start from a trained net (a run folder or a model
 * verydeep exported: {@link dev.verydeep.trainer.InitSource}, reading ONNX through the DJL-free onnx module),
 * checkpoints every epoch and resume.
 *
 * <p>Entry points: {@link dev.verydeep.trainer.TrainSettings#builder()} (defaults: the paper's recipe),
 * {@link dev.verydeep.trainer.TrainingRun#start} / {@link dev.verydeep.trainer.TrainingRun#resume}, then
 * {@link dev.verydeep.trainer.TrainingRun#run}, an epoch loop whose concerns (memory, progress, schedule,
 * checkpoints) are {@link dev.verydeep.trainer.TrainingListener}s. Bad settings throw
 * {@link dev.verydeep.trainer.SettingException}, naming the setting, which a front end maps to its own words.
 */
package dev.verydeep.trainer;
