/** Reader of the PASCAL VOC devkit layout (ImageSets/Main, Annotations XML, JPEGImages) with clear errors for bad data. */
package dev.verydeep.core.data.voc;
