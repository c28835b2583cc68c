// Runs in: main (core). A model artifact's format, told from its file name or its folder's files.
import path from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  '.pkl': 'pickle',
  '.pickle': 'pickle',
  '.joblib': 'joblib',
  '.onnx': 'onnx',
  '.pt': 'pytorch',
  '.pth': 'pytorch',
  '.h5': 'keras',
  '.keras': 'keras',
  '.safetensors': 'safetensors',
  '.json': 'json',
  '.txt': 'text',
  '.ubj': 'xgboost',
  '.cbm': 'catboost',
  '.pmml': 'pmml',
  '.tflite': 'tflite',
  '.gguf': 'gguf',
};

export function detectFileFormat(name: string): string {
  return BY_EXTENSION[path.extname(name).toLowerCase()] ?? 'file';
}

/** `files` are paths relative to the folder, `/`-separated. */
export function detectFolderFormat(files: readonly string[]): string {
  const base = new Set(files.map((f) => f.split('/').pop()!));
  if (files.includes('MLmodel')) return 'mlflow';
  if (base.has('saved_model.pb')) return 'tensorflow';
  if (files.includes('config.json') && files.some((f) => f.endsWith('.safetensors') || f.endsWith('.bin')))
    return 'huggingface';
  const formats = new Set(files.map(detectFileFormat).filter((f) => f !== 'file' && f !== 'json' && f !== 'text'));
  return formats.size === 1 ? [...formats][0]! : 'folder';
}
