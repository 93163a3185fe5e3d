export { Sequential, type SequentialOptions } from './sequential.js';
